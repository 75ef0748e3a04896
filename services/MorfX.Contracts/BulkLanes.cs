namespace MorfX.Contracts;

/// <summary>
/// The second queue ("bulk lane") of each message whose consumer is shared fairly between workspaces. A publisher sends a
/// workspace's message there once the workspace has used its burst (see MorfX.Messaging.Fairness, which a service hands these with AddBulkLanes), so one workspace's
/// flood queues behind itself, not in front of everyone else's messages. The names are the contract between the publisher
/// (which declares the queue when it sends, so nothing is lost before the consumer starts) and the consumer.
/// </summary>
public static class BulkLanes
{
    public static readonly IReadOnlyDictionary<Type, string> Queues = new Dictionary<Type, string>
    {
        [typeof(ShopifyOrderCreated)] = "automation-engine-bulk-shopify-order-created",
        [typeof(ShopifyOrderUpdated)] = "automation-engine-bulk-shopify-order-updated",
        [typeof(ShopifyDraftOrderCreated)] = "automation-engine-bulk-shopify-draft-order-created",
        [typeof(SmsRequested)] = "sms-sender-bulk-sms-requested",
    };

    /// <summary>The workspace whose budget a message spends; null for a message that is not a workspace's.</summary>
    public static Guid? WorkspaceOf(object message) => message switch
    {
        ITriggerEvent e => e.WorkspaceId,
        SmsRequested r => r.WorkspaceId,
        _ => null,
    };
}
