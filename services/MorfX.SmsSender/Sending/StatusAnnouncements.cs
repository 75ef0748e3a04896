using MassTransit;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults.Outbox;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Sending;

/// <summary>A message's new status, announced: SmsStatusChanged for usage-api, and SmsDeliveryFailed too when it ended badly.</summary>
public static class StatusAnnouncements
{
    /// <summary>The same announcements, written to the outbox (a background worker's, committed with the status).</summary>
    public static void Add(Outbox<SmsDbContext> outbox, SmsStatusChanged change)
    {
        outbox.Add(DeterministicGuid.Create(change.RequestId, $"status:{change.Status}"), change);
        if (change.Status is SmsStatuses.Undelivered or SmsStatuses.Failed)
            outbox.Add(DeterministicGuid.Create(change.RequestId, $"delivery-failed:{change.Status}"), DeliveryFailed(change));
    }

    public static async Task PublishAsync(IPublishEndpoint publish, SmsStatusChanged change, CancellationToken ct)
    {
        await publish.Publish(change, ct);
        if (change.Status is SmsStatuses.Undelivered or SmsStatuses.Failed)
            await publish.Publish(DeliveryFailed(change), ct);
    }

    static SmsDeliveryFailed DeliveryFailed(SmsStatusChanged change) =>
        new(change.RequestId, change.WorkspaceId, change.MessageSid, change.Status, change.ErrorCode, change.ChangedAt);
}
