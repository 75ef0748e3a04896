using System.Globalization;

/// <summary>One measured order: when it was due (seconds since the rate's first order), its webhook and end-to-end latency from then.</summary>
sealed record Sample(int Seq, double DueSeconds, double WebhookMs, double? EndToEndMs);

/// <summary>
/// The warm-up's orders (drained before the measured ones start), left out of every figure, checked for loss and doubling
/// all the same; and the services' JIT in each of its rounds, in % of one core.
/// </summary>
sealed record WarmupResult(int Seconds, int Sent, int Accepted, int Lost, int Duplicated)
{
    public List<double> JitPercentOfOneCoreByRound { get; init; } = [];

    public WarmupResult Then(WarmupResult round, double jitPercent) =>
        new(Seconds + round.Seconds, Sent + round.Sent, Accepted + round.Accepted, Lost + round.Lost, Duplicated + round.Duplicated)
        {
            JitPercentOfOneCoreByRound = [.. JitPercentOfOneCoreByRound, Math.Round(jitPercent, 1)],
        };
}

/// <summary>One rate's figures. The fields up to Duplicated are the ones result.json always had.</summary>
sealed record RateResult(int Rate, int Sent, int Accepted, int Retries, double AcceptedPerSecond, double EndToEndPerSecond,
    Percentiles Webhook, Percentiles EndToEnd, int Lost, int Duplicated, WarmupResult? Warmup,
    List<Sample> Samples)
{
    public Dictionary<string, ProcessUse> Processes { get; set; } = [];
    public PricingLag? Pricing { get; set; }
    public CostPerOrder? Cost { get; set; }

    public bool Sustained => Lost == 0 && Duplicated == 0 && Accepted == Sent && EndToEnd.P99 < 1000;

    public string Summary() => FormattableString.Invariant(
        $"  accepted {Accepted}/{Sent} ({Retries} retries) at {AcceptedPerSecond:F1}/s; end-to-end {EndToEndPerSecond:F1}/s; webhook p50/p95/p99 {Webhook.P50:F0}/{Webhook.P95:F0}/{Webhook.P99:F0} ms; end-to-end p50/p95/p99 {EndToEnd.P50:F0}/{EndToEnd.P95:F0}/{EndToEnd.P99:F0} ms (from when due); lost {Lost}, duplicated {Duplicated}")
        + (Warmup is { } w ? $"\n  warm-up {w.Seconds} s in {w.JitPercentOfOneCoreByRound.Count} rounds: {w.Accepted}/{w.Sent} accepted, lost {w.Lost}, duplicated {w.Duplicated} (not in the figures)" : "");

    public object Report() => new
    {
        Rate, Sent, Accepted, Retries, AcceptedPerSecond = Math.Round(AcceptedPerSecond, 1), EndToEndPerSecond = Math.Round(EndToEndPerSecond, 1),
        webhookLatencyMs = Webhook, endToEndLatencyMs = EndToEnd, Lost, Duplicated, Sustained, Warmup,
        pricing = Pricing, processes = Processes, costPerOrder = Cost,
    };

    /// <summary>Matches the SMS at Twilio to the orders by the number in their body: latency from when due, lost and doubled.</summary>
    public static RateResult From(int rate, DriveResult run, List<BenchMessage> messages, WarmupResult? warmup)
    {
        var bySeq = BySeq(messages);
        var samples = run.Orders.Select((order, i) =>
        {
            double? e2e = bySeq.TryGetValue(order.Seq, out var m) ? (m.Min(x => x.CreatedAt) - run.DueAt(order)).TotalMilliseconds : null;
            return new Sample(order.Seq, order.Due.TotalSeconds, run.WebhookMs[i], e2e);
        }).ToList();
        var acceptedSamples = samples.Where((_, i) => run.Accepted[i]).ToList();
        var delivered = samples.Where(s => s.EndToEndMs is not null).ToList();
        var lastCreated = delivered.Count == 0 ? run.Start : delivered.Max(s => bySeq[s.Seq].Min(x => x.CreatedAt));
        var (lost, doubled) = LostAndDoubled(run, bySeq);
        return new RateResult(rate, run.Orders.Length, acceptedSamples.Count, run.Retries,
            acceptedSamples.Count / Math.Max(0.001, run.Finished.TotalSeconds),
            delivered.Count / Math.Max(0.001, (lastCreated - run.Start).TotalSeconds),
            Percentiles.Of(acceptedSamples.Select(s => s.WebhookMs)), Percentiles.Of(delivered.Select(s => s.EndToEndMs!.Value)),
            lost, doubled, warmup, samples);
    }

    public static WarmupResult Warmed(int seconds, DriveResult run, List<BenchMessage> messages)
    {
        var (lost, doubled) = LostAndDoubled(run, BySeq(messages));
        return new WarmupResult(seconds, run.Orders.Length, run.Accepted.Count(a => a), lost, doubled);
    }

    static Dictionary<int, List<BenchMessage>> BySeq(List<BenchMessage> messages) =>
        messages.GroupBy(m => Driver.SeqOf(m.Body)).ToDictionary(g => g.Key, g => g.ToList());

    static (int Lost, int Doubled) LostAndDoubled(DriveResult run, Dictionary<int, List<BenchMessage>> bySeq) => (
        run.Orders.Where((o, i) => run.Accepted[i] && !bySeq.ContainsKey(o.Seq)).Count(),
        run.Orders.Sum(o => bySeq.TryGetValue(o.Seq, out var m) ? m.Count - 1 : 0));

    public IEnumerable<string> DataLines() => Samples.Select(s =>
        FormattableString.Invariant($"{s.DueSeconds:F3} {s.WebhookMs:F1} {s.EndToEndMs?.ToString("F1", CultureInfo.InvariantCulture) ?? "NaN"}"));
}
