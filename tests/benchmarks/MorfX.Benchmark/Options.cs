using MorfX.ServiceDefaults;

/// <summary>The command line (see Program.cs); addresses default to the AppHost's fixed ports (deploy/resources.json).</summary>
sealed record Options(
    int[] Rates, int Duration, bool Chaos, int Warmup, int WarmupRounds, int Workspaces, int SetupParallelism, int PricingTimeout, bool Cold, double UpSeconds,
    string Out, int ReconcileShops, string SigningKey, string Ingest, string Config, string Engine, string Usage, string Twilio, int PostgresPort, int AmqpPort, string ResourceService)
{
    public static Options Parse(string[] args)
    {
        // The last occurrence wins, so a caller can override what the runner passes (e.g. --out).
        string Arg(string name, string fallback) => Array.LastIndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString()), System.Globalization.CultureInfo.InvariantCulture);
        var chaos = args.Contains("--chaos"); // one rate, longer, with faults (see Chaos)
        return new Options(
            [.. Arg("--rates", chaos ? "300" : "100,200,400").Split(',').Select(int.Parse)], Int("--duration", chaos ? 300 : 20), chaos, Int("--warmup", 60), Math.Max(1, Int("--warmup-rounds", 6)),
            Math.Max(1, Int("--workspaces", 100)), Math.Max(1, Int("--setup-parallelism", 16)), Int("--pricing-timeout", 120),
            args.Contains("--cold"), double.Parse(Arg("--up-seconds", "NaN"), System.Globalization.CultureInfo.InvariantCulture),
            Arg("--out", "bench-results"), Int("--reconcile-shops", 0),
            Environment.GetEnvironmentVariable("SIGNING_KEY") ?? throw new InvalidOperationException("SIGNING_KEY (from .morfx/secrets.env) is required"),
            Arg("--ingest", Local(ResourceNames.WebhookIngest)), Arg("--config", Local(ResourceNames.ConfigApi)),
            Arg("--engine", Local(ResourceNames.AutomationEngine)), Arg("--usage", Local(ResourceNames.UsageApi)), Arg("--twilio", Local("twilio-emulator")),
            Int("--pg-port", 55430), Int("--amqp-port", 56710),
            // The AppHost's resource service (its http launch profile), which runs the dashboard's Start/Stop/Restart.
            Arg("--resource-service", "http://localhost:18890"));
    }

    static string Local(string resource) => $"http://127.0.0.1:{ResourceMap.Current[resource].Port}";
}
