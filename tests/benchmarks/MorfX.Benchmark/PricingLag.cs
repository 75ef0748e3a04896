using System.Diagnostics;
using System.Net.Http.Json;

/// <summary>
/// How long after a rate's last order was due every one of its messages was priced in usage-api (its public summary per
/// workspace: SMS sent, which must reach every SMS the workspace had at Twilio so far, and none awaiting its price), beside when Twilio itself had the last price, so the lag the
/// system adds can be told from the lag Twilio imposes. Null seconds: not all priced within the wait.
/// </summary>
sealed record PricingLag(double? Seconds, double TwilioSeconds, int WaitedSeconds, int Unpriced)
{
    public string Summary() => Seconds is { } s
        ? $"all priced in usage {s:F1} s after the last order (Twilio had every price at {TwilioSeconds:F1} s)"
        : $"NOT all priced within {WaitedSeconds} s after the last order: {Unpriced} unpriced (Twilio had every price at {TwilioSeconds:F1} s)";

    public static async Task<PricingLag> MeasureAsync(
        HttpClient http, Options o, IReadOnlyList<BenchWorkspace> workspaces, Dictionary<string, int> expected, List<BenchMessage> messages,
        DateTimeOffset lastDue, EmulatorSettings twilio)
    {
        var twilioSeconds = messages.Count == 0 ? 0 : (messages.Max(m => m.CreatedAt) + twilio.PricedAfter() - lastDue).TotalSeconds;
        var waiting = workspaces.Where(w => expected[w.AccountSid] > 0).ToList();
        var unpriced = 0;
        var deadline = lastDue + TimeSpan.FromSeconds(o.PricingTimeout);
        while (true)
        {
            var left = new List<BenchWorkspace>();
            var missing = 0;
            // One sweep over the workspaces still waiting, a few at a time, so the polling does not load usage-api itself.
            await Parallel.ForEachAsync(waiting, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (w, ct) =>
            {
                using var response = await w.SendAsync(http, HttpMethod.Get, $"{o.Usage}/api/usage/sms?period=day");
                var usage = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<UsageSummary>(ct) : null;
                var gap = usage is null ? expected[w.AccountSid] : Math.Max(0, expected[w.AccountSid] - usage.TotalSent) + usage.PendingCount;
                if (gap == 0) return;
                lock (left) { left.Add(w); missing += gap; }
            });
            var now = DateTimeOffset.UtcNow;
            if (left.Count == 0) return new PricingLag(Math.Round((now - lastDue).TotalSeconds, 1), Math.Round(twilioSeconds, 1), o.PricingTimeout, 0);
            waiting = left;
            unpriced = missing;
            if (now > deadline) return new PricingLag(null, Math.Round(twilioSeconds, 1), o.PricingTimeout, unpriced);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    sealed record UsageSummary(int TotalSent, int PendingCount);
}
