using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Deliveries after a transient carrier failure (30003 unreachable handset, 30008 unknown error), in section Sending:
/// MaxDeliveryAttempts (3 messages in all), RedeliveryDelay (00:05:00 before the second; four times that before the
/// third), RedeliveryPoll (00:00:05).
/// </summary>
public sealed class DeliveryRetrySettings
{
    public const string Section = SmsSenderSettings.Section;

    [ConfigurationKeyName("MaxDeliveryAttempts"), Range(1, 10, ErrorMessage = "Sending:MaxDeliveryAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 3;

    [ConfigurationKeyName("RedeliveryDelay"), Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "Sending:RedeliveryDelay must be between {1} and {2}.")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMinutes(5);

    [ConfigurationKeyName("RedeliveryPoll"), Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Sending:RedeliveryPoll must be between {1} and {2}.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
