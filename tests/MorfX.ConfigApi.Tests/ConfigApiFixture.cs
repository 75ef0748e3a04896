using MassTransit;
using Microsoft.Extensions.Logging;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// What the config-api tests talk to, started once per run by <see cref="TestRun"/>: config-api on a real port against this
/// run's PostgreSQL database and RabbitMQ vhost, pointed at a Shopify Admin emulator, with every log line it writes
/// captured, and a bus observer that records every IntegrationChanged and WorkspaceMessagingChanged and publishes what other services would
/// (TwilioCredentialsRejected, ShopifyWebhookDelivered). Tests say <c>using static ConfigApiFixture;</c>.
/// </summary>
public static class ConfigApiFixture
{
    public static RunningService Api { get; private set; } = null!;
    public static RunningService ShopifyAdmin { get; private set; } = null!;
    public static BusObserver Events { get; private set; } = null!;
    public static Dictionary<string, string?> Settings { get; private set; } = null!;
    public static CapturedLogs Logs { get; } = new();

    public static async Task StartAsync()
    {
        ShopifyAdmin = await RunningService.StartAsync(ShopifyEmulatorApp.Build, new Dictionary<string, string?>());
        Settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        Settings["Shopify:AdminBaseUrl"] = ShopifyAdmin.BaseAddress.ToString().TrimEnd('/');
        Settings["PublicUrls:WebhookIngest"] = "http://127.0.0.1:5101";
        Settings["TestSms:TimeoutSeconds"] = "3";
        Api = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, Settings, b =>
        {
            // Everything config-api logs, at every level, so tests can check that no secret is ever written.
            b.Logging.AddProvider(Logs);
            b.Logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
        });
        var health = await Api.WaitHealthyAsync();
        // Why not, without rerunning: what config-api logged as it started.
        if (health != "Healthy") ReportLogs();
        Assert.That(health, Is.EqualTo("Healthy"));
        Events = await BusObserver.StartAsync("config-api-tests-observer", (e, record) =>
        {
            e.Handler<IntegrationChanged>(c => record(c.Message));
            e.Handler<WorkspaceMessagingChanged>(c => record(c.Message));
        });
    }

    public static async Task StopAsync()
    {
        if (Events is not null) await Events.DisposeAsync();
        if (Api is not null) await Api.DisposeAsync();
        if (ShopifyAdmin is not null) await ShopifyAdmin.DisposeAsync();
    }

    /// <summary>After a failed test: what config-api warned about, to see why without rerunning.</summary>
    public static void ReportLogsIfFailed()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed) ReportLogs();
    }

    static void ReportLogs()
    {
        foreach (var line in Logs.Lines.Where(l => l.StartsWith("Warning") || l.StartsWith("Error") || l.StartsWith("Critical")))
            TestContext.Out.WriteLine(line);
    }

    public static HttpClient Client(Guid workspaceId, string role = Roles.Owner) => Api.CreateClient(Tokens.For(workspaceId, role));

    public static HttpClient InternalClient(string? key = TestInfrastructure.InternalKey) => Api.InternalClient(key);

    /// <summary>Waits for an IntegrationChanged of the workspace that matches.</summary>
    public static Task<IntegrationChanged> ChangeAsync(Guid workspaceId, Func<IntegrationChanged, bool> match, string because) =>
        Events.WaitForAsync<IntegrationChanged>(c => c.WorkspaceId == workspaceId && match(c), because: because);

    public static IReadOnlyList<IntegrationChanged> Changes(Guid workspaceId) => Events.All<IntegrationChanged>(c => c.WorkspaceId == workspaceId);

    public static async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(Settings[$"ConnectionStrings:{ResourceNames.ConfigDb}"]);
        await connection.OpenAsync();
        return connection;
    }
}
