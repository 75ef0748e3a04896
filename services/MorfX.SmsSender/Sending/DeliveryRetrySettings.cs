namespace MorfX.SmsSender.Sending;

/// <summary>
/// Deliveries after a transient carrier failure (30003 unreachable handset, 30008 unknown error): Sending:MaxDeliveryAttempts
/// (3 messages in all), Sending:RedeliveryDelay (00:05:00 before the second; four times that before the third),
/// Sending:RedeliveryPoll (00:00:05).
/// </summary>
public sealed record DeliveryRetrySettings(int MaxAttempts, TimeSpan FirstDelay, TimeSpan PollInterval)
{
    public static DeliveryRetrySettings From(IConfiguration config) => new(
        config.GetValue("Sending:MaxDeliveryAttempts", 3),
        config.GetValue("Sending:RedeliveryDelay", TimeSpan.FromMinutes(5)),
        config.GetValue("Sending:RedeliveryPoll", TimeSpan.FromSeconds(5)));
}
