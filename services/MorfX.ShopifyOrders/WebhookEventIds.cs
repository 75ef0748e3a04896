using MorfX.Rules;

namespace MorfX.ShopifyOrders;

/// <summary>
/// Trigger EventIds, name-based UUID v5 (RFC 9562) over what identifies the merchant's action, so every delivery of
/// that action carries the same EventId and the engine runs its automations once.
/// </summary>
public static class WebhookEventIds
{
    // The RFC 9562 URL namespace.
    static readonly Guid Namespace = Guid.Parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>
    /// A creation is one event per created resource, whatever delivered it (a replay, a second subscription during a
    /// secret rotation, a new webhook id). Other topics are one event per <c>X-Shopify-Event-Id</c> and topic (one
    /// merchant action fires several topics under one event id). Without either, the delivery id is all there is.
    /// </summary>
    public static Guid ForShopify(string shopDomain, string topic, long? resourceId, string? shopifyEventId, string webhookId) =>
        topic.EndsWith("/create", StringComparison.Ordinal) && resourceId is { } id ? NameBased($"shopify:{shopDomain}:{topic}:{id}")
        : !string.IsNullOrEmpty(shopifyEventId) ? NameBased($"shopify:{shopDomain}:{topic}:event:{shopifyEventId}")
        : ForShopify(webhookId);

    public static Guid ForShopify(string webhookId) => NameBased("shopify:" + webhookId);

    /// <summary>
    /// An order state read by reconciliation: one event per order and updatedAt, so reading it again (the next pass, another
    /// replica) is the same event. The webhook of that same change has another id; the engine's order state makes it a no-op.
    /// </summary>
    public static Guid ForReconciledUpdate(string shopDomain, long orderId, DateTimeOffset updatedAt) =>
        NameBased($"shopify:{shopDomain}:orders/updated:{orderId}:state:{updatedAt.UtcTicks}");

    public static Guid NameBased(string name) => DeterministicGuid.Create(Namespace, name);
}
