extern alias apphost;

using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MorfX.ServiceDefaults;
using MorfX.Testing;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// The AppHost's own topology (MorfX.AppHost/Program.cs) through Aspire.Hosting.Testing: OS-package PostgreSQL and RabbitMQ
/// as resources, the five services and the three emulators, wired as `dotnet run --project MorfX.AppHost` wires them. The
/// test changes only what a test must: its servers' ports and a fresh state folder, known keys for its tokens, short
/// sms-sender and emulator timings, telemetry to the test's OTLP receiver, and spare instances to start later.
/// </summary>
public static class SystemAppHost
{
    /// <summary>Ports of the e2e servers: beside a developer's AppHost (55430/56710), its tests' (55451/56711) and the fixtures' (55432/56720).</summary>
    public const int PostgresPort = 55433, AmqpPort = 56712, RabbitDistPort = 25674, EpmdPort = 4372;
    public const string RabbitNode = "morfx-e2e@localhost";
    public static readonly string StateDirectory = Path.Combine(TestInfrastructure.RepoRoot, ".morfx", "e2e");

    /// <summary>Spare instances (explicit start) of the services a test scales out: resource names "{name}-2" and up.</summary>
    public const int Spares = 3;

    /// <summary>The fixed development ports the AppHost gives its services and emulators (deploy/resources.json).</summary>
    static readonly int[] FixedPorts = [.. ResourceMap.Current.Ports];

    public static async Task<DistributedApplication> BuildAsync(Uri otlpReceiver)
    {
        var busy = FixedPorts.Concat([PostgresPort, AmqpPort]).Where(TestInfrastructure.PortOpen).ToList();
        if (busy.Count > 0)
            throw new InvalidOperationException($"ports {string.Join(", ", busy)} are in use: an AppHost (or a previous e2e run) still runs here; `deploy/local/morfx down` stops it");
        // Every run starts from empty servers, as on a fresh machine (initdb and a new RabbitMQ node take a few seconds).
        if (Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<apphost::Projects.MorfX_AppHost>(
        [
            $"--LocalServers:StateDirectory={StateDirectory}",
            $"--LocalServers:PostgresPort={PostgresPort}",
            $"--LocalServers:AmqpPort={AmqpPort}",
            $"--LocalServers:RabbitDistPort={RabbitDistPort}",
            $"--LocalServers:EpmdPort={EpmdPort}",
            $"--LocalServers:RabbitNode={RabbitNode}",
            // Thrown away after the run: PostgreSQL without fsync, for speed (the AppHost's own default is durable).
            "--LocalServers:PostgresDurable=false",
            $"--Parameters:auth-signing-key={TestInfrastructure.SigningKey}",
            $"--Parameters:internal-service-key={TestInfrastructure.InternalKey}",
            // Real endpoints configured in the environment would replace the emulators the tests drive.
            "--MORFX_TWILIO_BASE_URL=", "--MORFX_SHOPIFY_ADMIN_BASE_URL=", "--MORFX_LLM_ENDPOINT=", "--MORFX_PUBLIC_WEBHOOK_URL=",
        ]);

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            builder.CreateResourceBuilder(project)
                // Each process exports traces and metrics to the test's receiver, as it would to the dashboard.
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", otlpReceiver.ToString().TrimEnd('/'))
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                // The tests follow one order's trace across the services: every trace is kept, none left to the sampling budget.
                .WithEnvironment("Telemetry__TracesPerSecond", "10000");

        foreach (var emulator in new[] { "twilio-emulator", "shopify-emulator" })
            builder.CreateResourceBuilder<ProjectResource>(emulator)
                .WithEnvironment("Emulator__CallbackDelayMs", "100")
                .WithEnvironment("Emulator__PriceDelayMs", "600")
                // The tests register each workspace's Twilio account, and some rely on unknown credentials being refused.
                .WithEnvironment("Emulator__AutoRegisterAccounts", "false")
                // Each workspace registers its shop's token, so config-api's ownership check is the real one.
                .WithEnvironment("Emulator__AutoRegisterShops", "false");

        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.ConfigApi)
            // Reconcile each shop every 2 s (production: every 5 minutes), reading again 5 s before the watermark.
            .WithEnvironment("Shopify__ReconcileInterval", "00:00:02")
            .WithEnvironment("Shopify__ReconcileOverlap", "00:00:05");

        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.SmsSender)
            // Ask Twilio soon about messages whose callback was lost (the production default is 2 minutes).
            .WithEnvironment("Pricing__StatusCheckAfter", "00:00:05")
            .WithEnvironment("Pricing__InitialBackoff", "00:00:02")
            // A batch claimed just before a database outage is checked again 20 s later, not 2 min (the tests wait 120 s).
            .WithEnvironment("Pricing__ClaimLease", "00:00:20")
            .WithEnvironment("Pricing__FirstCheckDelay", "00:00:01")
            // A create answered 5xx is looked for at Twilio for 3 s before it is sent again (the production default is 1 minute).
            .WithEnvironment("Sending__AmbiguousWindow", "00:00:03")
            .WithEnvironment("DeliveryRetry__FirstDelay", "00:00:02")
            .WithEnvironment("DeliveryRetry__PollInterval", "00:00:01")
            // Parked requests come back every few seconds here (production: from 30 s, doubling up to 5 minutes).
            .WithEnvironment("Deferral__FirstDelay", "00:00:05")
            .WithEnvironment("Deferral__MaxDelay", "00:00:20")
            .WithEnvironment("Deferral__PollInterval", "00:00:01");

        AddSpares(builder, ResourceNames.SmsSender);
        AddSpares(builder, ResourceNames.AutomationEngine);
        return await builder.BuildAsync();
    }

    /// <summary>
    /// Copies of a service that start only when a test asks (WithExplicitStart): the same project and environment (database,
    /// bus, keys, discovery, test settings), on a port of their own, competing for the same queues as a scaled-out instance.
    /// </summary>
    static void AddSpares(IDistributedApplicationTestingBuilder builder, string name)
    {
        var original = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name);
        var projectPath = original.GetProjectMetadata().ProjectPath;
        for (var i = 2; i <= Spares + 1; i++)
        {
            var port = TestInfrastructure.FreePort();
            var spare = builder.AddProject($"{name}-{i}", projectPath)
                .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
                .WithHttpHealthCheck("/health")
                .WithExplicitStart();
            foreach (var environment in original.Annotations.OfType<EnvironmentCallbackAnnotation>()) spare.WithAnnotation(environment);
        }
    }
}
