using System.Globalization;

/// <summary>One measured order: when it was due (seconds since the first measured order), its webhook and end-to-end latency from then.</summary>
sealed record Sample(int Seq, double DueSeconds, double WebhookMs, double? EndToEndMs);

/// <summary>The orders of the warm-up, left out of every figure, checked for loss and doubling all the same.</summary>
sealed record WarmupResult(int Seconds, int Sent, int Accepted, int Lost, int Duplicated);

/// <summary>One rate's figures. The fields up to Duplicated are the ones result.json always had.</summary>
sealed record RateResult(int Rate, int Sent, int Accepted, int Retries, double AcceptedPerSecond, double EndToEndPerSecond,
    Percentiles Webhook, Percentiles EndToEnd, int Lost, int Duplicated, WarmupResult? Warmup,
    List<Sample> Samples)
{
    public Dictionary<string, ProcessUse> Processes { get; set; } = [];
    public PricingLag? Pricing { get; set; }

    public bool Sustained => Lost == 0 && Duplicated == 0 && Accepted == Sent && EndToEnd.P99 < 1000;

    public string Summary() => FormattableString.Invariant(
        $"  accepted {Accepted}/{Sent} ({Retries} retries) at {AcceptedPerSecond:F1}/s; end-to-end {EndToEndPerSecond:F1}/s; webhook p50/p95/p99 {Webhook.P50:F0}/{Webhook.P95:F0}/{Webhook.P99:F0} ms; end-to-end p50/p95/p99 {EndToEnd.P50:F0}/{EndToEnd.P95:F0}/{EndToEnd.P99:F0} ms (from when due); lost {Lost}, duplicated {Duplicated}")
        + (Warmup is { } w ? $"\n  warm-up {w.Seconds} s: {w.Accepted}/{w.Sent} accepted, lost {w.Lost}, duplicated {w.Duplicated} (not in the figures)" : "");

    public object Report() => new
    {
        Rate, Sent, Accepted, Retries, AcceptedPerSecond = Math.Round(AcceptedPerSecond, 1), EndToEndPerSecond = Math.Round(EndToEndPerSecond, 1),
        webhookLatencyMs = Webhook, endToEndLatencyMs = EndToEnd, Lost, Duplicated, Sustained, Warmup,
        pricing = Pricing, processes = Processes,
    };

    /// <summary>Matches the SMS at Twilio to the orders by the number in their body: latency from when due, lost and doubled.</summary>
    public static RateResult From(int rate, DriveResult run, List<BenchMessage> messages, int warmupSeconds)
    {
        var bySeq = messages.GroupBy(m => Driver.SeqOf(m.Body)).ToDictionary(g => g.Key, g => g.ToList());
        var measured = Enumerable.Range(0, run.Orders.Length).Where(i => !run.Orders[i].Warmup).ToList();
        var warm = Enumerable.Range(0, run.Orders.Length).Where(i => run.Orders[i].Warmup).ToList();
        int Lost(List<int> orders) => orders.Count(i => run.Accepted[i] && !bySeq.ContainsKey(run.Orders[i].Seq));
        int Doubled(List<int> orders) => orders.Sum(i => bySeq.TryGetValue(run.Orders[i].Seq, out var m) ? m.Count - 1 : 0);

        var samples = measured.Select(i =>
        {
            var order = run.Orders[i];
            double? e2e = bySeq.TryGetValue(order.Seq, out var m) ? (m.Min(x => x.CreatedAt) - run.DueAt(order)).TotalMilliseconds : null;
            return new Sample(order.Seq, (order.Due - run.MeasuredFrom).TotalSeconds, run.WebhookMs[i], e2e);
        }).ToList();
        var acceptedSamples = samples.Where((_, k) => run.Accepted[measured[k]]).ToList();
        var delivered = samples.Where(s => s.EndToEndMs is not null).ToList();
        var lastCreated = delivered.Count == 0 ? run.MeasuredStart
            : delivered.Max(s => bySeq[s.Seq].Min(x => x.CreatedAt));
        return new RateResult(rate, measured.Count, acceptedSamples.Count, run.Retries,
            acceptedSamples.Count / Math.Max(0.001, (run.Finished - run.MeasuredFrom).TotalSeconds),
            delivered.Count / Math.Max(0.001, (lastCreated - run.MeasuredStart).TotalSeconds),
            Percentiles.Of(acceptedSamples.Select(s => s.WebhookMs)), Percentiles.Of(delivered.Select(s => s.EndToEndMs!.Value)),
            Lost(measured), Doubled(measured),
            warm.Count == 0 ? null : new WarmupResult(warmupSeconds, warm.Count, warm.Count(i => run.Accepted[i]), Lost(warm), Doubled(warm)),
            samples);
    }

    public IEnumerable<string> DataLines() => Samples.Select(s =>
        FormattableString.Invariant($"{s.DueSeconds:F3} {s.WebhookMs:F1} {s.EndToEndMs?.ToString("F1", CultureInfo.InvariantCulture) ?? "NaN"}"));
}
