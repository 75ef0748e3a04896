using System.ComponentModel.DataAnnotations;

namespace MorfX.SmsSender.Twilio;

/// <summary>The HTTP under the Twilio SDK: where it calls, and how long and how often it tries.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";

    /// <summary>Empty: api.twilio.com; the emulator's address in tests and demo mode.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Retries of one call after a transient failure.</summary>
    [Range(0, 10)] public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's wait; each next one waits longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>One try's limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All tries' limit: shorter than config-api's wait for the test SMS answer, and the floor of Sending:Lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(12);
}
