using System.ComponentModel.DataAnnotations;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// The price reconciler's schedule (section Pricing): PollInterval (00:00:02), FirstCheckDelay (00:00:30: the first price
/// check after a final status, to start with; then learnt from what the first checks find, between 1 s and
/// MaxFirstCheckDelay, 00:10:00), InitialBackoff (00:00:30, doubling), MaxBackoff (01:00:00), MaxChecks (12; then the
/// price stays unknown), BatchSize (200 messages claimed at once), ClaimLease (00:02:00: how long a claimed batch belongs to
/// the instance checking it; a batch whose check was cut short, by a database outage say, is checked again after it),
/// StatusCheckAfter (00:02:00: when no final status callback has arrived by then, Twilio is asked).
/// </summary>
public sealed class PricingSettings
{
    public const string Section = "Pricing";

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 100)] public int MaxChecks { get; set; } = 12;

    [Range(1, 10_000)] public int BatchSize { get; set; } = 200;

    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StatusCheckAfter { get; set; } = TimeSpan.FromMinutes(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxFirstCheckDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait after the n-th unsuccessful check (n ≥ 1): initial × 2^(n-1), capped.</summary>
    public TimeSpan BackoffAfter(int checks)
    {
        var factor = Math.Pow(2, Math.Min(checks - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
