using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// The whole system as the AppHost starts it (<see cref="SystemAppHost"/>): OS-package PostgreSQL and RabbitMQ, the five
/// services and the Twilio, Shopify and LLM emulators, each its own process under Aspire's orchestrator. Faults are what
/// ops would do from the dashboard (stop, start, restart a resource) or worse (SIGKILL a process); scaling out starts
/// spare instances of a service.
/// </summary>
public sealed class SystemFixture : IAsyncDisposable
{
    readonly DistributedApplication _app;
    readonly SystemResources _resources;

    public required OtlpReceiver Telemetry { get; init; }

    public required SystemService Twilio { get; init; }
    public required SystemService Shopify { get; init; }
    public required SystemService ConfigApi { get; init; }
    public required SystemService Ingest { get; init; }
    public required SystemService Engine { get; init; }
    public required SystemService Usage { get; init; }
    public required SystemService SmsSender { get; init; }
    public int SmsSenderPort => SmsSender.BaseAddress.Port;

    SystemFixture(DistributedApplication app)
    {
        _app = app;
        _resources = new SystemResources(app);
    }

    public static async Task<SystemFixture> StartAsync()
    {
        var telemetry = await OtlpReceiver.StartAsync();
        var started = Stopwatch.StartNew();
        var app = await SystemAppHost.BuildAsync(telemetry.Endpoint);
        try
        {
            // A resource that never starts (one that crashes, or waits for one) fails the run in minutes, not at CI's timeout.
            using (var starting = new CancellationTokenSource(TimeSpan.FromMinutes(3))) await app.StartAsync(starting.Token);
            SystemService Service(string name) => new(name, app.GetEndpoint(name, "http"));
            var system = new SystemFixture(app)
            {
                Telemetry = telemetry,
                Twilio = Service("twilio-emulator"),
                Shopify = Service("shopify-emulator"),
                ConfigApi = Service(ResourceNames.ConfigApi),
                Ingest = Service(ResourceNames.WebhookIngest),
                Engine = Service(ResourceNames.AutomationEngine),
                Usage = Service(ResourceNames.UsageApi),
                SmsSender = Service(ResourceNames.SmsSender),
            };
            foreach (var service in system.All) await system._resources.WaitHealthyAsync(service.ResourceName);
            TestContext.Progress.WriteLine($"AppHost under test: every resource healthy {started.Elapsed.TotalSeconds:F1} s after the build started");
            return system;
        }
        catch
        {
            // No server or service left behind by a failed start (DCP's monitors end the rest if stopping hangs).
            await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
            await telemetry.DisposeAsync();
            throw;
        }
    }
    IEnumerable<SystemService> All => [Twilio, Shopify, ConfigApi, Ingest, Engine, Usage, SmsSender];

    /// <summary>Another automation-engine instance on the same database and queues: a competing consumer, as when scaled out.</summary>
    public Task<SystemService> StartAnotherEngineAsync() => StartSpareAsync(ResourceNames.AutomationEngine);

    /// <summary>Another sms-sender instance, competing for the same queues.</summary>
    public Task StartAnotherSmsSenderAsync() => StartSpareAsync(ResourceNames.SmsSender);

    /// <summary>Starts sms-sender again (the dashboard's Start) after <see cref="KillSmsSenderAsync"/>; waits until it is healthy.</summary>
    public Task StartSmsSenderAsync() => StartResourceAsync(SmsSender);

    /// <summary>SIGKILL to every sms-sender process, spares included: no graceful shutdown, whatever they were doing is cut off.</summary>
    public async Task KillSmsSenderAsync()
    {
        foreach (var name in Instances(ResourceNames.SmsSender)) await _resources.KillAsync(name);
    }

    /// <summary>SIGKILL to every automation-engine process: whatever it held in memory is gone.</summary>
    public async Task KillEngineAsync()
    {
        foreach (var name in Instances(ResourceNames.AutomationEngine)) await _resources.KillAsync(name);
    }

    public Task StartEngineAsync() => StartResourceAsync(Engine);

    /// <summary>Stops config-api (the dashboard's Stop: SIGTERM, graceful) until <see cref="StartConfigApiAsync"/>.</summary>
    public Task StopConfigApiAsync() => _resources.StopAsync(ConfigApi.ResourceName);

    public Task StartConfigApiAsync() => StartResourceAsync(ConfigApi);

    /// <summary>The dashboard's Restart on RabbitMQ: the node stops (every connection drops) and boots again on the same data.</summary>
    public async Task RestartRabbitMQAsync()
    {
        var before = await _resources.ProcessIdAsync(ResourceNames.Messaging);
        await _resources.RestartAsync(ResourceNames.Messaging);
        await _resources.WaitRunningAsync(ResourceNames.Messaging, before);
        await _resources.WaitHealthyAsync(ResourceNames.Messaging);
    }

    public Task StopPostgresAsync() => _resources.StopAsync(ResourceNames.Postgres);

    public async Task StartPostgresAsync()
    {
        await _resources.StartAsync(ResourceNames.Postgres);
        await _resources.WaitRunningAsync(ResourceNames.Postgres);
        await _resources.WaitHealthyAsync(ResourceNames.Postgres);
        // The tests' own pooled connections died with the server: the next query of any test opens a new one.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The messages waiting in RabbitMQ's <c>*_error</c> queues (MassTransit's poison queues), by queue name.</summary>
    /// <summary>What the AppHost gives a service under <paramref name="resource"/> (its database, its broker user).</summary>
    public async Task<string> ConnectionStringAsync(string resource) =>
        await _app.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string");

    public async Task<Dictionary<string, int>> ErrorQueueMessagesAsync()
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(TestInfrastructure.RepoRoot, "MorfX.AppHost/LocalServers/scripts/rabbitmqctl.sh"), "-q", "list_queues", "name", "messages"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["AMQP_PORT"] = SystemAppHost.AmqpPort.ToString(), ["RABBIT_NODE"] = SystemAppHost.RabbitNode,
                ["RABBIT_DIST_PORT"] = SystemAppHost.RabbitDistPort.ToString(), ["ERL_EPMD_PORT"] = SystemAppHost.EpmdPort.ToString(),
                ["RABBIT_STATE"] = Path.Combine(SystemAppHost.StateDirectory, $"rabbitmq-{SystemAppHost.AmqpPort}"),
            },
        };
        using var process = Process.Start(psi)!;
        var listing = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl list_queues failed: {await listing}{await errors}");
        return TestInfrastructure.ErrorQueues(await listing);
    }

    async Task<SystemService> StartSpareAsync(string name)
    {
        foreach (var spare in Instances(name).Skip(1))
        {
            if (await _resources.IsRunningAsync(spare)) continue;
            var service = new SystemService(spare, _app.GetEndpoint(spare, "http"));
            await StartResourceAsync(service);
            return service;
        }
        throw new InvalidOperationException($"every spare {name} already runs: raise SystemAppHost.Spares");
    }

    async Task StartResourceAsync(SystemService service)
    {
        if (await _resources.IsRunningAsync(service.ResourceName)) return;
        await _resources.StartAsync(service.ResourceName);
        await _resources.WaitRunningAsync(service.ResourceName);
        var health = await service.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        if (health != "Healthy") TestContext.Out.WriteLine($"{service}'s console:\n{await _resources.ConsoleAsync(service.ResourceName)}");
        Assert.That(health, Is.EqualTo("Healthy"), $"{service} healthy after start");
    }

    /// <summary>The resource and its spares: name, name-2, name-3...</summary>
    static IEnumerable<string> Instances(string name) =>
        [name, .. Enumerable.Range(2, SystemAppHost.Spares).Select(i => $"{name}-{i}")];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Telemetry.DisposeAsync();
    }

    // ---- what a user (or Shopify, or Twilio) does ----

    /// <summary>
    /// A workspace with Twilio and Shopify connected through config-api, as an owner does it in the integrations page;
    /// twilioSendDelayMs makes its Twilio account slow to create messages.
    /// </summary>
    public async Task<Workspace> CreateWorkspaceAsync(
        bool twilio = true, bool shopify = true, bool autoSyncOrders = true, string defaultCountry = "CO", int twilioSendDelayMs = 0)
    {
        var workspace = new Workspace(Guid.NewGuid(), this);
        using var config = ConfigApi.CreateClient(workspace.Token);
        if (twilio)
        {
            using var emulator = Twilio.CreateClient();
            var account = new { workspace.AccountSid, workspace.AuthToken, sendDelayMs = twilioSendDelayMs };
            (await emulator.PostAsJsonAsync("/_emulator/accounts", account)).EnsureSuccessStatusCode();
            await Ok(await config.PutAsJsonAsync("/api/integrations/twilio",
                new { workspace.AccountSid, workspace.AuthToken, phoneNumber = workspace.FromNumber }));
        }
        if (shopify)
        {
            using var emulator = Shopify.CreateClient();
            (await emulator.PostAsJsonAsync("/_emulator/shops", new { workspace.ShopDomain, workspace.AccessToken })).EnsureSuccessStatusCode();
            await Ok(await config.PutAsJsonAsync("/api/integrations/shopify",
                new { workspace.ShopDomain, workspace.AccessToken, clientSecret = workspace.ShopSecret, defaultCountry }));
            if (!autoSyncOrders)
                await Ok(await config.PatchAsJsonAsync("/api/integrations/shopify", new { autoSyncOrders = false }));
        }
        return workspace;
    }

    static async Task Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every message the Twilio emulator received.</summary>
    public async Task<List<EmulatedSms>> TwilioMessagesAsync()
    {
        using var client = Twilio.CreateClient();
        return (await client.GetFromJsonAsync<List<EmulatedSms>>("/_emulator/messages", Json))!;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

public record EmulatedSms(string Sid, string AccountSid, string To, string From, string Body, List<string> MediaUrls, string Status, string? Price, DateTimeOffset CreatedAt);
