using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MorfX.ConfigApi;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// config-api on a real port against this run's PostgreSQL database and RabbitMQ vhost, pointed at a Shopify Admin
/// emulator, plus a small bus of the test's own that records every IntegrationChanged and publishes what other
/// services would (TwilioCredentialsRejected, ShopifyWebhookDelivered).
/// </summary>
public sealed class ConfigApiHost : IAsyncDisposable
{
    public required RunningService Api { get; init; }
    public required RunningService Shopify { get; init; }
    public required IBusControl Bus { get; init; }
    public required Dictionary<string, string?> Settings { get; init; }
    public required CapturedLogs Logs { get; init; }
    readonly ConcurrentQueue<IntegrationChanged> _changes = new();

    public static async Task<ConfigApiHost> StartAsync()
    {
        var shopify = await RunningService.StartAsync(ShopifyEmulatorApp.Build, new Dictionary<string, string?>());
        var settings = Settings_(shopify.BaseAddress);
        var logs = new CapturedLogs();
        var api = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, settings, b =>
        {
            // Everything config-api logs, at every level, so tests can check that no secret is ever written.
            b.Logging.AddProvider(logs);
            b.Logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
        });
        Assert.That(await api.WaitHealthyAsync(), Is.EqualTo("Healthy"));

        ConfigApiHost? host = null;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.AmqpUri));
            cfg.ReceiveEndpoint($"config-api-tests-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<IntegrationChanged>(c =>
                {
                    host!._changes.Enqueue(c.Message);
                    return Task.CompletedTask;
                });
            });
        });
        host = new ConfigApiHost { Api = api, Shopify = shopify, Bus = bus, Settings = settings, Logs = logs };
        await bus.StartAsync();
        return host;
    }

    static Dictionary<string, string?> Settings_(Uri shopifyAdmin)
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        settings["Shopify:AdminBaseUrl"] = shopifyAdmin.ToString().TrimEnd('/');
        settings["PublicUrls:WebhookIngest"] = "http://127.0.0.1:5101";
        settings["TestSms:TimeoutSeconds"] = "3";
        return settings;
    }

    /// <summary>After a failed test: what config-api warned about, to see why without rerunning.</summary>
    public void ReportLogsIfFailed()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        foreach (var line in Logs.Lines.Where(l => l.StartsWith("Warning") || l.StartsWith("Error") || l.StartsWith("Critical")))
            TestContext.Out.WriteLine(line);
    }

    public HttpClient Client(Guid workspaceId, string role = Roles.Owner) => Api.CreateClient(Tokens.For(workspaceId, role));

    public HttpClient InternalClient(string? key = TestInfrastructure.InternalKey) => Api.InternalClient(key);

    /// <summary>Waits for an IntegrationChanged of the workspace that matches.</summary>
    public Task<IntegrationChanged> ChangeAsync(Guid workspaceId, Func<IntegrationChanged, bool> match, string because) =>
        Eventually.Get(
            () => Task.FromResult(_changes.FirstOrDefault(c => c.WorkspaceId == workspaceId && match(c))),
            c => c is not null, because: because)!;

    public IReadOnlyList<IntegrationChanged> Changes(Guid workspaceId) => [.. _changes.Where(c => c.WorkspaceId == workspaceId)];

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(Settings[$"ConnectionStrings:{ResourceNames.ConfigDb}"]);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.StopAsync();
        await Api.DisposeAsync();
        await Shopify.DisposeAsync();
    }
}

/// <summary>Keeps every log line (message and exception) the service writes.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Reading answers the way the frontend does.</summary>
public static class Http
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJson(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"GET {path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    public static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static string Code(this JsonElement problem) => problem.Str("code") ?? "";

    /// <summary>The field errors of a problem as "field:code".</summary>
    public static List<string> FieldErrors(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => $"{e.Str("field")}:{e.Str("code")}")]
            : [];

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string path, object body) => client.PutAsJsonAsync(path, body);
}

public static class InternalClients
{
    /// <summary>A client for config-api's internal look-ups, as webhook-ingest and sms-sender call them (null key: none sent).</summary>
    public static HttpClient InternalClient(this RunningService api, string? key = TestInfrastructure.InternalKey)
    {
        var client = api.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add(MorfX.ServiceDefaults.Integrations.IntegrationLookup.InternalKeyHeader, key);
        return client;
    }
}
