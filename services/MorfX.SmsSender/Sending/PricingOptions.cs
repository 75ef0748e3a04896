using System.ComponentModel.DataAnnotations;

namespace MorfX.SmsSender.Sending;

/// <summary>The price reconciler's schedule: when Twilio is asked for a message's price, how often, and for how long.</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    /// <summary>How often due price checks are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The wait after the first unsuccessful check; it doubles after each next one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two checks.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Checks per message; after the last the price stays unknown.</summary>
    [Range(1, 100)] public int MaxChecks { get; set; } = 12;

    /// <summary>Messages one instance claims at once.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 200;

    /// <summary>How long a claimed batch belongs to the instance checking it; one whose check was cut short (a database outage) is checked again after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>When no final status callback has arrived this long after sending, Twilio is asked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StatusCheckAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The first price check after a final status, to start with; then learnt from what the first checks find, between 1 s and MaxFirstCheckDelay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest the learnt first-check delay may grow.</summary>
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
