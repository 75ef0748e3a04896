using MassTransit;

namespace MorfX.Messaging.Fairness;

/// <summary>
/// Publishes a workspace's message to the shared queue while the workspace is within its budget, and to the message's bulk
/// lane (<see cref="BulkLaneMap"/>) once it is over: a burst of one shop's orders then waits in the bulk lane, while every other
/// workspace's messages keep the shared queue to themselves. Both lanes are consumed at once by the same consumer, so nothing
/// is dropped or refused (Shopify still gets its 200 as soon as the broker confirms), and every consumer's idempotency holds
/// whichever lane a message took. Messages without a lane are always published.
/// </summary>
public sealed class FairPublisher(IBus bus, WorkspaceBudgets budgets, FairnessOptions options, BulkLaneMap lanes)
{
    public Task PublishAsync(object message, Type messageType, CancellationToken ct) => PublishAsync(message, messageType, null, ct);

    /// <summary>Publishes with the given MessageId (an outbox row's deterministic id), or MassTransit's own when null.</summary>
    public async Task PublishAsync(object message, Type messageType, Guid? messageId, CancellationToken ct)
    {
        if (!options.Enabled || !lanes.TryGetLane(message, messageType, out var lane, out var workspaceId) || budgets.TryTake(workspaceId))
        {
            await bus.Publish(message, messageType, c => { if (messageId is { } id) c.MessageId = id; }, ct);
            return;
        }
        // queue: declares the lane's queue as it sends, so a message is kept even if its consumer has not started yet.
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{lane}"));
        await endpoint.Send(message, messageType, c => { if (messageId is { } id) c.MessageId = id; }, ct);
    }
}
