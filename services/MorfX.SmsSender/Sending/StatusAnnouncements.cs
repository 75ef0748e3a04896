using MassTransit;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.SmsSender.Sending;

/// <summary>A message's new status, announced: SmsStatusChanged for usage-api, and SmsDeliveryFailed too when it ended badly.</summary>
public static class StatusAnnouncements
{
    public static async Task PublishAsync(IPublishEndpoint publish, SmsStatusChanged change, CancellationToken ct)
    {
        await publish.Publish(change, ct);
        if (change.Status is SmsStatuses.Undelivered or SmsStatuses.Failed)
            await publish.Publish(new SmsDeliveryFailed(change.RequestId, change.WorkspaceId, change.MessageSid, change.Status, change.ErrorCode, change.ChangedAt), ct);
    }
}
