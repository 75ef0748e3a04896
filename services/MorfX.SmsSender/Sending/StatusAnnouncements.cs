using MassTransit;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Sending;

/// <summary>A message's new status, announced: SmsStatusChanged for usage-api (in an SmsActivity), and SmsDeliveryFailed too when it ended badly.</summary>
public static class StatusAnnouncements
{
    /// <summary>
    /// A price check batch's announcements, written to the outbox (committed with the batch's rows): one SmsActivity for
    /// usage-api with every status and price, and SmsDeliveryFailed for each message that ended badly.
    /// </summary>
    public static void Add(Outbox<SmsDbContext> outbox, IReadOnlyList<SmsStatusChanged> changes, IReadOnlyList<SmsPriced> prices)
    {
        if (changes.Count + prices.Count > 0) outbox.Add(NewId.NextGuid(), new SmsActivity([], changes, prices));
        foreach (var change in changes.Where(EndedBadly))
            outbox.Add(DeterministicGuid.Create(change.RequestId, $"delivery-failed:{change.Status}"), DeliveryFailed(change));
    }

    /// <summary>Published now: SmsStatusChanged with the coalesced announcements, SmsDeliveryFailed on its own (the engine's).</summary>
    public static async Task PublishAsync(IPublishEndpoint publish, SmsActivityPublisher activity, SmsStatusChanged change, CancellationToken ct)
    {
        if (EndedBadly(change))
            await Task.WhenAll(activity.StatusChangedAsync(change, ct), publish.Publish(DeliveryFailed(change), ct));
        else
            await activity.StatusChangedAsync(change, ct);
    }

    static bool EndedBadly(SmsStatusChanged change) => change.Status is SmsStatuses.Undelivered or SmsStatuses.Failed;

    static SmsDeliveryFailed DeliveryFailed(SmsStatusChanged change) =>
        new(change.RequestId, change.WorkspaceId, change.MessageSid, change.Status, change.ErrorCode, change.ChangedAt);
}
