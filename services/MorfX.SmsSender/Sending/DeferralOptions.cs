using System.ComponentModel.DataAnnotations;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// How SmsRequested wait out an outage of config-api or Twilio that outlasts the consumer's in-process retries
/// (section Deferral): parked for FirstDelay, doubling up to MaxDelay, handed back every PollInterval in batches of
/// BatchSize; a request still failing MaxWait after it was requested goes to the _error queue for a person.
/// </summary>
public sealed class DeferralOptions
{
    public const string Section = "Deferral";

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromDays(1);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>The wait before the n-th hand-back (n ≥ 1): FirstDelay × 2^(n-1), at most MaxDelay.</summary>
    public TimeSpan DelayBefore(int deferral)
    {
        var ticks = FirstDelay.Ticks * Math.Pow(2, Math.Clamp(deferral - 1, 0, 30));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
