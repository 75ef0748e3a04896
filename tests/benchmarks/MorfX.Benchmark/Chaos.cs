using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MorfX.ServiceDefaults;

/// <summary>One fault of the chaos run: what it was, when it began and when the system was whole again (as far as the benchmark did it).</summary>
sealed record InjectedFault(string Name, double AtSeconds, double EndedSeconds, Percentiles Healthy, double? RecoveredAfterSeconds);

/// <summary>
/// `morfx bench --chaos`: one rate (300/s by default) for --duration seconds (300 by default), after one warm-up round of
/// --warmup seconds, while faults are injected on a schedule spread over the run: RabbitMQ restarted, sms-sender and the
/// engine killed (SIGKILL) and started again, PostgreSQL stopped for 10 s, and Twilio (the emulator) answering 5 % of
/// creates with 429, 500, a dropped connection or a slow 201. The resources are stopped and started with the AppHost's own
/// commands (<see cref="ResourceCommands"/>), so they come back as the AppHost runs them. Reports lost and doubled SMS,
/// how long after each fault the end-to-end p99 (per 5 s bucket) was back under twice the healthy p99 (the 20 s before the first fault), and
/// whether usage priced every SMS within 60 s of Twilio having the last price.
/// </summary>
static class Chaos
{
    const int BucketSeconds = 5;
    const double PricingAllowanceSeconds = 60;

    public static async Task<int> RunAsync(HttpClient http, Options o, EmulatorClient twilio, JsonSerializerOptions json)
    {
        var rate = o.Rates[0];
        Console.WriteLine((await DatabaseSettings.ReadAsync(o.PostgresPort)).Summary());
        var twilioSettings = await twilio.SettingsAsync();
        var workspaces = await BenchWorkspace.SetUpAsync(http, o, o.Workspaces);
        var accounts = workspaces.Select(w => w.AccountSid).ToList();
        var smsSoFar = accounts.ToDictionary(a => a, _ => 0);
        var counted = new HashSet<string>();
        async Task<List<BenchMessage>> CollectAsync()
        {
            var messages = await twilio.MessagesAsync(accounts);
            foreach (var m in messages.Where(m => counted.Add(m.Sid))) smsSoFar[m.AccountSid]++;
            return messages;
        }

        WarmupResult? warmed = null;
        if (o.Warmup > 0)
        {
            Console.WriteLine($"warm-up: {rate}/s for {o.Warmup} s over {workspaces.Count} workspaces, no faults");
            var warm = await Driver.RunAsync(http, o, workspaces, rate, o.Warmup, 0, warmup: true);
            await twilio.DrainAsync(accounts, warm.Accepted.Count(a => a));
            var messages = await CollectAsync();
            warmed = new WarmupResult(0, 0, 0, 0, 0).Then(RateResult.Warmed(o.Warmup, warm, messages), double.NaN); // one round, JIT not watched
            var pricing = await PricingLag.MeasureAsync(http, o, workspaces, smsSoFar, messages, warm.LastDue, twilioSettings);
            Console.WriteLine($"  lost {warmed.Lost}, duplicated {warmed.Duplicated}; {pricing.Summary()}");
            if (pricing.Seconds is not null) await twilio.ForgetAsync(accounts);
        }

        Console.WriteLine($"chaos: {rate}/s for {o.Duration} s over {workspaces.Count} workspaces");
        var atTwilio = await twilio.CountAsync(accounts);
        var driving = Driver.RunAsync(http, o, workspaces, rate, o.Duration, warmed?.Sent ?? 0, warmup: false);
        var injected = await InjectAsync(http, o, Schedule(http, o));
        var run = await driving;
        await twilio.DrainAsync(accounts, atTwilio + run.Accepted.Count(a => a));
        var drained = await CollectAsync();
        var pricingLag = await PricingLag.MeasureAsync(http, o, workspaces, smsSoFar, drained, run.LastDue, twilioSettings);
        // Counted again after the pricing wait, so a late double (or a late first SMS) is seen.
        var result = RateResult.From(rate, run, await CollectAsync(), warmed);
        result.Pricing = pricingLag;
        double Since(DateTimeOffset at) => (at - run.Start).TotalSeconds;
        // The healthy system's p99: the orders due in the 20 s before the first fault (a later fault may strike a system still behind).
        var first = Since(injected[0].At);
        var healthy = Percentiles.Of(result.Samples.Where(s => s.DueSeconds >= first - 20 && s.DueSeconds < first && s.EndToEndMs is not null)
            .Select(s => s.EndToEndMs!.Value));
        var faults = injected.Select((f, i) => Recovery(f.Name, Since(f.At), Since(f.Ended),
            i + 1 < injected.Count ? Since(injected[i + 1].At) : run.Orders[^1].Due.TotalSeconds, healthy, result.Samples)).ToList();
        var pricedInTime = pricingLag.Seconds is { } s && s - pricingLag.TwilioSeconds <= PricingAllowanceSeconds;

        Console.WriteLine(result.Summary());
        foreach (var f in faults)
            Console.WriteLine(FormattableString.Invariant($"  {f.AtSeconds,6:F1} s  {f.Name}: done at {f.EndedSeconds:F1} s; healthy p99 {f.Healthy.P99:F0} ms; ")
                + (f.RecoveredAfterSeconds is { } r ? FormattableString.Invariant($"p99 back under 2x {r:F0} s after it began") : "p99 not back under 2x before the next fault or the end"));
        Console.WriteLine($"  {pricingLag.Summary()}: {(pricedInTime ? "within" : "NOT within")} {PricingAllowanceSeconds} s of Twilio");

        Directory.CreateDirectory(o.Out);
        await File.WriteAllLinesAsync(Path.Combine(o.Out, $"latency-{rate}.dat"), result.DataLines());
        Plot.Write(o.Out, [rate]);
        var report = new
        {
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString() },
            duration = o.Duration, warmup = o.Warmup, workspaces = o.Workspaces, twilioEmulator = twilioSettings,
            result = result.Report(), faults, pricedWithin60SecondsOfTwilio = pricedInTime,
            p99ByBucket = Buckets(result.Samples).Select(b => new { fromSeconds = b.From, p99 = b.P99 }),
        };
        await File.WriteAllTextAsync(Path.Combine(o.Out, "chaos.json"), JsonSerializer.Serialize(report, json));
        Console.WriteLine($"wrote {Path.Combine(o.Out, "chaos.json")} and latency.png");
        return result.Lost > 0 || result.Duplicated > 0 || warmed is { Lost: > 0 } or { Duplicated: > 0 } || !pricedInTime ? 1 : 0;
    }

    /// <summary>The faults, spread over the run; each returns once it is over (the resource started again, the window closed).</summary>
    static List<(double At, string Name, Func<Task> Inject)> Schedule(HttpClient http, Options o)
    {
        var commands = new ResourceCommands(o.ResourceService);
        var twilioWindow = TimeSpan.FromSeconds(0.2 * o.Duration);
        return
        [
            (0.10, "RabbitMQ restarted", () => commands.RunAsync(ResourceNames.Messaging, "resource-restart")),
            (0.25, "sms-sender killed (SIGKILL) and started", () => KillAndStartAsync(commands, ResourceNames.SmsSender)),
            (0.40, "automation-engine killed (SIGKILL) and started", () => KillAndStartAsync(commands, ResourceNames.AutomationEngine)),
            (0.55, "PostgreSQL stopped for 10 s", async () =>
            {
                // Under load its shutdown checkpoint can outlast the AppHost's wait, which then answers "failed": it stops all the same.
                try { await commands.RunAsync(ResourceNames.Postgres, "resource-stop"); }
                catch (InvalidOperationException e) { Console.WriteLine($"  {e.Message}; waiting for port {o.PostgresPort} to close"); }
                while (ProcessWatch.Listeners().ContainsKey(o.PostgresPort)) await Task.Delay(200);
                await Task.Delay(TimeSpan.FromSeconds(10));
                await StartAsync(commands, ResourceNames.Postgres);
            }),
            (0.70, $"Twilio: 5 % of creates 429/500/reset/slow 201 for {twilioWindow.TotalSeconds:F0} s", async () =>
            {
                (await http.PostAsJsonAsync($"{o.Twilio}/_emulator/chaos", new { percent = 5, slowMs = 3000 })).EnsureSuccessStatusCode();
                await Task.Delay(twilioWindow);
                (await http.DeleteAsync($"{o.Twilio}/_emulator/chaos")).EnsureSuccessStatusCode();
            }),
        ];
    }

    static async Task<List<(string Name, DateTimeOffset At, DateTimeOffset Ended)>> InjectAsync(
        HttpClient http, Options o, List<(double At, string Name, Func<Task> Inject)> schedule)
    {
        var clock = Stopwatch.StartNew();
        var done = new List<(string, DateTimeOffset, DateTimeOffset)>();
        foreach (var (at, name, inject) in schedule)
        {
            var due = TimeSpan.FromSeconds(at * o.Duration) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var began = DateTimeOffset.UtcNow;
            Console.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds,6:F1} s  {name}"));
            await inject();
            done.Add((name, began, DateTimeOffset.UtcNow));
        }
        return done;
    }

    /// <summary>SIGKILL to the service's process (what no command does), then the AppHost's Start once it has seen it exit.</summary>
    static async Task KillAndStartAsync(ResourceCommands commands, string service)
    {
        var pid = ProcessWatch.Listeners()[ResourceMap.Current[service].Port];
        Process.GetProcessById(pid).Kill();
        await StartAsync(commands, service);
    }

    /// <summary>The AppHost's Start, again each second until it is accepted (refused while the resource is not yet seen stopped).</summary>
    static async Task StartAsync(ResourceCommands commands, string resource)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await commands.RunAsync(resource, "resource-start");
                return;
            }
            catch (InvalidOperationException) when (attempt < 60) { await Task.Delay(TimeSpan.FromSeconds(1)); }
        }
    }

    /// <summary>
    /// How long after the fault began the 5 s buckets' p99 was back under twice the healthy p99 for good (the end of the last
    /// bucket over it before the next fault); null if still over then.
    /// </summary>
    static InjectedFault Recovery(string name, double at, double ended, double until, Percentiles before, List<Sample> samples)
    {
        var over = Buckets(samples).Where(b => b.From + BucketSeconds > at && b.From + BucketSeconds <= until && b.P99 >= 2 * before.P99).ToList();
        var lastOver = over.Count == 0 ? at : over.Max(b => b.From) + BucketSeconds;
        return new InjectedFault(name, Math.Round(at, 1), Math.Round(ended, 1), before,
            lastOver + BucketSeconds > until && over.Count > 0 ? null : Math.Round(lastOver - at, 1));
    }

    static List<(double From, double P99)> Buckets(List<Sample> samples) => [.. samples.Where(s => s.EndToEndMs is not null)
        .GroupBy(s => Math.Floor(s.DueSeconds / BucketSeconds) * BucketSeconds).OrderBy(g => g.Key)
        .Select(g => (g.Key, Percentiles.Of(g.Select(s => s.EndToEndMs!.Value)).P99))];
}
