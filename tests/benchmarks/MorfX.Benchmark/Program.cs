using System.Text.Json;

// Drives signed Shopify "orders/create" webhooks into the system started by `deploy/local/morfx up` (with its Twilio
// emulator) on an open-loop schedule at each rate, spread round-robin over fresh workspaces, and measures what a store
// owner cares about, every latency counted from when the order was due: webhooks accepted per second, orders turned into
// an SMS at Twilio per second, SMS lost or sent twice, how long until usage has every price, and each process's CPU and
// peak memory. It states the PostgreSQL durability settings it measured with.
//   MorfX.Benchmark --rates 100,200,400 --duration 20 [--warmup 60] [--warmup-rounds 6] [--workspaces 100] [--pricing-timeout 120] --out bench-results
//   MorfX.Benchmark --cold [--up-seconds N]   the first order after a start (see ColdStart)
//   MorfX.Benchmark --reconcile-shops 10000   one reconciliation pass over that many shops (see ReconcileBench)
//   MorfX.Benchmark --chaos [--rates 300] [--duration 300]   one rate while faults are injected (see Chaos)
var options = Options.Parse(args);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{ Timeout = TimeSpan.FromSeconds(30) };
var twilio = new EmulatorClient(http, options.Twilio);
if (options.Cold) return await ColdStart.RunAsync(http, options, twilio, json);
if (options.ReconcileShops > 0) return await ReconcileBench.RunAsync(http, options, json);
if (options.Chaos) return await Chaos.RunAsync(http, options, twilio, json);

var database = await DatabaseSettings.ReadAsync(options.PostgresPort);
Console.WriteLine(database.Summary());
var twilioSettings = await twilio.SettingsAsync();
var processes = ProcessWatch.Find(options);
Console.WriteLine("processes: " + string.Join(", ", processes.Roots.Select(p => $"{p.Key} {string.Join('+', p.Value.Pids)}")));

// The same workspaces for every rate, so the warm-up warms what the measured orders use (a workspace's first order pays
// for its look-ups); the emulator forgets their SMS once usage has priced them all, and usage keeps counting them.
var setup = System.Diagnostics.Stopwatch.StartNew();
var workspaces = await BenchWorkspace.SetUpAsync(http, options, options.Workspaces);
var setupSeconds = Math.Round(setup.Elapsed.TotalSeconds, 1);
var accounts = workspaces.Select(w => w.AccountSid).ToList();
var smsSoFar = accounts.ToDictionary(a => a, _ => 0);
var counted = new HashSet<string>(); // sids already in smsSoFar
Console.WriteLine($"{workspaces.Count} workspaces set up through the public APIs in {setupSeconds:F1} s");

var results = new List<RateResult>();
Directory.CreateDirectory(options.Out);
var nextSeq = 0;
foreach (var rate in options.Rates)
{
    var warmed = results.Count == 0 && options.Warmup > 0 ? await WarmUpAsync(rate) : null;
    Console.WriteLine($"rate {rate}/s for {options.Duration} s, round-robin over {workspaces.Count} workspaces");
    var atTwilio = await twilio.CountAsync(accounts); // kept until usage has priced them (sms-sender still asks Twilio)
    var costBefore = await CostCounters.TakeAsync(options);
    var before = processes.Sample();
    var measuredClock = System.Diagnostics.Stopwatch.StartNew();
    var run = await Driver.RunAsync(http, options, workspaces, rate, options.Duration, nextSeq, warmup: false);
    nextSeq += run.Orders.Length;
    await twilio.DrainAsync(accounts, atTwilio + run.Accepted.Count(a => a));
    var use = ProcessWatch.Between(before, processes.Sample(), measuredClock.Elapsed);

    var messages = await CollectAsync();
    var result = RateResult.From(rate, run, messages, warmed);
    result.Processes = use;
    Console.WriteLine(result.Summary());
    Console.WriteLine(FormattableString.Invariant($"  CPU over {measuredClock.Elapsed.TotalSeconds:F0} s (% of one core), peak MiB: ")
        + string.Join(", ", use.Select(p => FormattableString.Invariant($"{p.Key} {p.Value.PercentOfOneCore:F0}% {p.Value.PeakMemoryMb}"))));
    result.Pricing = await PricingLag.MeasureAsync(http, options, workspaces, smsSoFar, messages, run.LastDue, twilioSettings);
    Console.WriteLine("  " + result.Pricing.Summary());
    if (costBefore is not null && await CostCounters.TakeAsync(options) is { } costAfter)
    {
        result.Cost = CostCounters.PerOrder(costBefore, costAfter, result.Accepted);
        Console.WriteLine("  " + result.Cost.Summary());
    }
    // Once usage has every price, sms-sender no longer asks Twilio about these SMS: the emulator forgets them.
    if (result.Pricing.Seconds is not null) await twilio.ForgetAsync(accounts);
    results.Add(result);
    await File.WriteAllLinesAsync(Path.Combine(options.Out, $"latency-{rate}.dat"), result.DataLines());
}

var memory = processes.Sample().ToDictionary(p => p.Key, p => p.Value.PeakMemoryMb);
var report = new
{
    machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString() },
    duration = options.Duration, warmup = options.Warmup, workspaces = options.Workspaces, setupSeconds, database, twilioEmulator = twilioSettings,
    results = results.Select(r => r.Report()), peakMemoryMb = memory,
};
await File.WriteAllTextAsync(Path.Combine(options.Out, "result.json"), JsonSerializer.Serialize(report, json));
Plot.Write(options.Out, results.Select(r => r.Rate).ToList());
Console.WriteLine("peak memory (MiB): " + string.Join(", ", memory.Select(m => $"{m.Key} {m.Value}")));
Console.WriteLine($"wrote {Path.Combine(options.Out, "result.json")} and latency.png");
var sustained = results.Where(r => r.Sustained).Select(r => (int?)r.Rate).Max();
Console.WriteLine(sustained is null ? "no rate met p99 < 1 s with zero loss" : $"highest sustained rate with p99 end-to-end < 1 s and zero loss: {sustained}/s");
return results.Any(r => r.Lost > 0 || r.Duplicated > 0 || r.Warmup is { Lost: > 0 } or { Duplicated: > 0 }) ? 1 : 0;

// The warm-up: rounds at the first rate over the same workspaces, each drained and priced as a measured rate is (so its
// backlog, status callbacks, prices and usage do not spill into the first measured rate), the first of --warmup seconds and
// the next of 30 s, until the services' JIT has settled. A started .NET process recompiles its hot code in tiers, and a path
// that runs in bursts (config-api's look-ups, usage-api's pricing) goes on recompiling for several bursts: settled means
// their tiered-compilation threads used under 2 % of one core over the last round (at most --warmup-rounds rounds).
async Task<WarmupResult> WarmUpAsync(int rate)
{
    using var jit = new JitWatch(processes.ServicePids);
    var total = new WarmupResult(0, 0, 0, 0, 0);
    for (var round = 1; ; round++)
    {
        var seconds = round == 1 ? options.Warmup : 30;
        var (jitBefore, clock) = (jit.CpuSeconds, System.Diagnostics.Stopwatch.StartNew());
        Console.WriteLine($"warm-up round {round}: {rate}/s for {seconds} s, round-robin over {workspaces.Count} workspaces, then drained and priced");
        var atTwilio = await twilio.CountAsync(accounts);
        var warm = await Driver.RunAsync(http, options, workspaces, rate, seconds, nextSeq, warmup: true);
        nextSeq += warm.Orders.Length;
        await twilio.DrainAsync(accounts, atTwilio + warm.Accepted.Count(a => a));
        var messages = await CollectAsync();
        var pricing = await PricingLag.MeasureAsync(http, options, workspaces, smsSoFar, messages, warm.LastDue, twilioSettings);
        if (pricing.Seconds is not null) await twilio.ForgetAsync(accounts);
        var jitPercent = 100 * (jit.CpuSeconds - jitBefore) / clock.Elapsed.TotalSeconds;
        total = total.Then(RateResult.Warmed(seconds, warm, messages), jitPercent);
        Console.WriteLine(FormattableString.Invariant($"  {pricing.Summary()}; the services' JIT took {jitPercent:F1} % of one core over the round"));
        if (jitPercent < 2 || round >= options.WarmupRounds) return total;
    }
}

// The benchmark's SMS at Twilio so far (earlier ones are kept until priced), each counted once per workspace for pricing.
async Task<List<BenchMessage>> CollectAsync()
{
    var messages = await twilio.MessagesAsync(accounts);
    foreach (var m in messages.Where(m => counted.Add(m.Sid))) smsSoFar[m.AccountSid]++;
    return messages;
}
