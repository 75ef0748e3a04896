using System.ComponentModel.DataAnnotations;

namespace MorfX.SmsSender.Twilio;

/// <summary>
/// The HTTP under the Twilio SDK (section Twilio): BaseUrl (empty: api.twilio.com; the emulator's address in tests and demo
/// mode), MaxRetries (4), RetryBaseDelay (00:00:00.5), AttemptTimeout (00:00:05), TotalTimeout (00:00:12; shorter than
/// config-api's 15 s wait for the test SMS answer, and the floor of Sending:Lease).
/// </summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";

    public Uri? BaseUrl { get; set; }

    [Range(0, 10)] public int MaxRetries { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(12);
}
