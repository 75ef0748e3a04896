
namespace MorfX.SmsSender.Sending;

/// <summary>
/// The price reconciler's schedule: Pricing:PollInterval (00:00:02), Pricing:FirstCheckDelay (00:00:30: the first price check
/// after a final status, to start with; then learnt from what the first checks find, between 1 s and
/// Pricing:MaxFirstCheckDelay, 00:10:00), Pricing:InitialBackoff (00:00:30, doubling), Pricing:MaxBackoff (01:00:00),
/// Pricing:MaxChecks (12; then the price stays unknown), Pricing:BatchSize (200 messages claimed at once),
/// Pricing:StatusCheckAfter (00:02:00: when no final status callback has arrived by then, Twilio is asked).
/// </summary>
public sealed record PricingSettings(
    TimeSpan PollInterval, TimeSpan InitialBackoff, TimeSpan MaxBackoff, int MaxChecks, int BatchSize, TimeSpan StatusCheckAfter,
    TimeSpan FirstCheckDelay, TimeSpan MaxFirstCheckDelay)
{
    public static PricingSettings From(IConfiguration config) => new(
        config.GetValue("Pricing:PollInterval", TimeSpan.FromSeconds(2)),
        config.GetValue("Pricing:InitialBackoff", TimeSpan.FromSeconds(30)),
        config.GetValue("Pricing:MaxBackoff", TimeSpan.FromHours(1)),
        config.GetValue("Pricing:MaxChecks", 12),
        config.GetValue("Pricing:BatchSize", 200),
        config.GetValue("Pricing:StatusCheckAfter", TimeSpan.FromMinutes(2)),
        config.GetValue("Pricing:FirstCheckDelay", TimeSpan.FromSeconds(30)),
        config.GetValue("Pricing:MaxFirstCheckDelay", TimeSpan.FromMinutes(10)));

    /// <summary>The wait after the n-th unsuccessful check (n ≥ 1): initial × 2^(n-1), capped.</summary>
    public TimeSpan BackoffAfter(int checks)
    {
        var factor = Math.Pow(2, Math.Min(checks - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
