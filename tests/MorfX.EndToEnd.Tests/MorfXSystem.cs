using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using MorfX.ServiceDefaults;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// The whole system on real PostgreSQL and RabbitMQ: the Twilio and Shopify emulators, config-api, webhook-ingest,
/// automation-engine and usage-api in this process on fixed free ports, and sms-sender as a real child process (so a
/// test can kill it mid-stream). Services find each other through the same configuration keys the runner sets.
/// </summary>
public sealed class MorfXSystem : IAsyncDisposable
{
    readonly List<RunningService> _running = [];
    readonly List<Process> _smsSenders = [];
    readonly Dictionary<string, string?> _smsSenderSettings;
    readonly Dictionary<string, string?> _engineSettings;
    readonly string _smsSenderLog = Path.Combine(Path.GetTempPath(), $"morfx-e2e-sms-sender-{TestInfrastructure.RunId}.log");

    public required OtlpReceiver Telemetry { get; init; }

    public required RunningService Twilio { get; init; }
    public required RunningService Shopify { get; init; }
    public RunningService ConfigApi { get; private set; } = null!;
    public required RunningService Ingest { get; init; }
    public required RunningService Engine { get; init; }
    public required RunningService Usage { get; init; }
    public int SmsSenderPort { get; }

    readonly Dictionary<string, string?> _configApiSettings;
    readonly int _configApiPort;

    MorfXSystem(Dictionary<string, string?> smsSenderSettings, Dictionary<string, string?> engineSettings, int smsSenderPort,
        Dictionary<string, string?> configApiSettings, int configApiPort)
    {
        _smsSenderSettings = smsSenderSettings;
        _engineSettings = engineSettings;
        SmsSenderPort = smsSenderPort;
        _configApiSettings = configApiSettings;
        _configApiPort = configApiPort;
    }

    public static async Task<MorfXSystem> StartAsync()
    {
        await TestInfrastructure.EnsureReadyAsync();
        // Every service, in this process or not, exports traces and metrics to the receiver, as they would to Aspire's dashboard.
        var telemetry = await OtlpReceiver.StartAsync();
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", telemetry.Endpoint.ToString().TrimEnd('/'));
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        Environment.SetEnvironmentVariable("OTEL_BSP_SCHEDULE_DELAY", "500");
        Environment.SetEnvironmentVariable("OTEL_METRIC_EXPORT_INTERVAL", "1000");
        var ports = Enumerable.Range(0, 7).Select(_ => TestInfrastructure.FreePort()).ToArray();
        string Url(int i) => $"http://127.0.0.1:{ports[i]}";
        var wiring = new Dictionary<string, string?>
        {
            ["Services:ConfigApi"] = Url(2),
            ["PublicUrls:WebhookIngest"] = Url(3),
            ["Twilio:BaseUrl"] = Url(0),
            ["Shopify:AdminBaseUrl"] = Url(1),
        };
        Dictionary<string, string?> Settings(string database) => new(TestInfrastructure.ServiceSettings(database).Concat(wiring));

        var started = new List<RunningService>();
        async Task<RunningService> Start(Func<string[], Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>?, Microsoft.AspNetCore.Builder.WebApplication> build,
            Dictionary<string, string?> settings, int port)
        {
            var service = await RunningService.StartAsync(build, settings, b => b.WebHost.UseUrls($"http://127.0.0.1:{port}"));
            started.Add(service);
            return service;
        }

        var emulatorSettings = new Dictionary<string, string?>
        {
            ["Emulator:CallbackDelayMs"] = "100",
            ["Emulator:PriceDelayMs"] = "600",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var smsSender = Settings(ResourceNames.SmsDb);
        // Ask Twilio soon about messages whose callback was lost (the production default is 2 minutes).
        smsSender["Pricing:StatusCheckAfter"] = "00:00:05";
        smsSender["Pricing:InitialBackoff"] = "00:00:02";
        smsSender["Pricing:FirstCheckDelay"] = "00:00:01";
        // A create answered 5xx is looked for at Twilio for 3 s before it is sent again (the production default is 1 minute).
        smsSender["Sending:AmbiguousWindow"] = "00:00:03";
        smsSender["Sending:RedeliveryDelay"] = "00:00:02";
        smsSender["Sending:RedeliveryPoll"] = "00:00:01";
        // Parked requests come back every few seconds here (production: from 30 s, doubling up to 5 minutes).
        smsSender["Deferral:FirstDelay"] = "00:00:05";
        smsSender["Deferral:MaxDelay"] = "00:00:20";
        smsSender["Deferral:PollInterval"] = "00:00:01";
        var configApi = Settings(ResourceNames.ConfigDb);
        var system = new MorfXSystem(smsSender, Settings(ResourceNames.EngineDb), ports[5], configApi, ports[2])
        {
            Telemetry = telemetry,
            Twilio = await Start(TwilioEmulatorApp.Build, emulatorSettings, ports[0]),
            Shopify = await Start(ShopifyEmulatorApp.Build, emulatorSettings, ports[1]),
            ConfigApi = await Start(MorfX.ConfigApi.ConfigApiApp.Build, configApi, ports[2]),
            Ingest = await Start(MorfX.WebhookIngest.WebhookIngestApp.Build, Settings(ResourceNames.IngestDb), ports[3]),
            Engine = await Start(MorfX.AutomationEngine.AutomationEngineApp.Build, Settings(ResourceNames.EngineDb), ports[4]),
            Usage = await Start(MorfX.UsageApi.UsageApiApp.Build, Settings(ResourceNames.UsageDb), ports[6]),
        };
        system._running.AddRange(started);
        await system.StartSmsSenderAsync();
        foreach (var service in new[] { system.ConfigApi, system.Ingest, system.Engine, system.Usage })
            Assert.That(await service.WaitHealthyAsync(TimeSpan.FromSeconds(60)), Is.EqualTo("Healthy"));
        return system;
    }

    /// <summary>Another automation-engine instance on the same database and queues: a competing consumer, as when scaled out.</summary>
    public async Task<RunningService> StartAnotherEngineAsync()
    {
        var engine = await RunningService.StartAsync(MorfX.AutomationEngine.AutomationEngineApp.Build, _engineSettings);
        _running.Add(engine);
        Assert.That(await engine.WaitHealthyAsync(TimeSpan.FromSeconds(60)), Is.EqualTo("Healthy"));
        return engine;
    }

    /// <summary>Stops config-api (its HTTP port closes: look-ups are refused) until <see cref="StartConfigApiAsync"/>.</summary>
    public async Task StopConfigApiAsync()
    {
        _running.Remove(ConfigApi);
        await ConfigApi.DisposeAsync();
    }

    /// <summary>Starts config-api again on its port, with its database and key ring as they were.</summary>
    public async Task StartConfigApiAsync()
    {
        ConfigApi = await RunningService.StartAsync(MorfX.ConfigApi.ConfigApiApp.Build, _configApiSettings,
            b => b.WebHost.UseUrls($"http://127.0.0.1:{_configApiPort}"));
        _running.Add(ConfigApi);
        Assert.That(await ConfigApi.WaitHealthyAsync(TimeSpan.FromSeconds(60)), Is.EqualTo("Healthy"));
    }

    /// <summary>Starts an sms-sender process from its own build output, configured through environment variables like the runner does.</summary>
    public Task StartSmsSenderAsync() => StartSmsSenderAsync(SmsSenderPort);

    public Task StartAnotherSmsSenderAsync() => StartSmsSenderAsync(TestInfrastructure.FreePort());

    async Task StartSmsSenderAsync(int port)
    {
        var dll = Path.Combine(TestInfrastructure.RepoRoot, "services/MorfX.SmsSender/bin/Debug/net10.0/MorfX.SmsSender.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is built by the solution build");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in _smsSenderSettings) psi.Environment[key.Replace(":", "__")] = value;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var process = Process.Start(psi)!;
        _smsSenders.Add(process);
        var log = File.AppendText(_smsSenderLog);
        log.AutoFlush = true;
        process.OutputDataReceived += (_, e) => { lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Get(async () =>
        {
            Assert.That(process.HasExited, Is.False, $"sms-sender exited; see {_smsSenderLog}");
            try { return await client.GetStringAsync("/health"); } catch (HttpRequestException) { return ""; } catch (TaskCanceledException) { return ""; }
        }, h => h == "Healthy", TimeSpan.FromSeconds(60), "sms-sender healthy");
    }

    /// <summary>SIGKILL every sms-sender process: no graceful shutdown, whatever they were doing is cut off.</summary>
    public async Task KillSmsSenderAsync()
    {
        foreach (var process in _smsSenders.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _smsSenders.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await KillSmsSenderAsync();
        foreach (var service in Enumerable.Reverse(_running)) await service.DisposeAsync();
        await Telemetry.DisposeAsync();
    }

    // ---- what a user (or Shopify, or Twilio) does ----

    /// <summary>A workspace with Twilio and Shopify connected through config-api, as an owner does it in the integrations page.</summary>
    public async Task<Workspace> CreateWorkspaceAsync(bool twilio = true, bool shopify = true, bool autoSyncOrders = true, string defaultCountry = "CO")
    {
        var workspace = new Workspace(Guid.NewGuid(), this);
        using var config = ConfigApi.CreateClient(workspace.Token);
        if (twilio)
        {
            using var emulator = Twilio.CreateClient();
            (await emulator.PostAsJsonAsync("/_emulator/accounts", new { workspace.AccountSid, workspace.AuthToken })).EnsureSuccessStatusCode();
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
