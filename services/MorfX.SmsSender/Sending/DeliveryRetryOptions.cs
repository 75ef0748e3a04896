using System.ComponentModel.DataAnnotations;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Deliveries after a transient carrier failure (30003 unreachable handset, 30008 unknown error): how many messages in all,
/// the wait before the second (four times that before each next one) and how often due redeliveries are looked for.
/// </summary>
public sealed class DeliveryRetryOptions
{
    public const string Section = "DeliveryRetry";

    /// <summary>Messages in all for one request, the first included.</summary>
    [Range(1, 10, ErrorMessage = "DeliveryRetry:MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the second message; each next one waits four times the one before.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "DeliveryRetry:FirstDelay must be between {1} and {2}.")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often due redeliveries are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "DeliveryRetry:PollInterval must be between {1} and {2}.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
