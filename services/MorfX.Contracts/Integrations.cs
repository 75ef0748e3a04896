namespace MorfX.Contracts;

public static class IntegrationKinds
{
    public const string Twilio = "twilio";
    public const string Shopify = "shopify";
}

public static class IntegrationStatuses
{
    public const string Active = "active";
    public const string Failing = "failing";
    public const string Removed = "removed";
    /// <summary>Shopify refused the shop's access token (revoked, or the app uninstalled): reconciliation waits for a new save.</summary>
    public const string NeedsAttention = "needs_attention";
}

/// <summary>Any change to a workspace's integration. Never carries a secret. IanaTimezone: the shop's, once read from the Admin API.</summary>
public record IntegrationChanged(
    Guid WorkspaceId, string Integration, string Status, string? ShopDomain, bool? AutoSyncOrders, DateTimeOffset ChangedAt,
    string? IanaTimezone = null);

/// <summary>Twilio refused the workspace's credentials (error 20003); config-api flags them as failing.</summary>
public record TwilioCredentialsRejected(Guid WorkspaceId, int ErrorCode, DateTimeOffset RejectedAt, string? TokenFingerprint = null);

/// <summary>webhook-ingest accepted a Shopify delivery for the shop: config-api shows it as the topic's last delivery.</summary>
public record ShopifyWebhookDelivered(Guid WorkspaceId, string ShopDomain, string Topic, DateTimeOffset DeliveredAt, string? ApiVersion = null);

/// <summary>
/// The engine ran these orders' events for the first time from reconciliation (Shopify's Admin API), not from a webhook:
/// config-api counts them in the shop's delivery health. Trigger is the trigger name (shopify.order_created…).
/// </summary>
public record ShopifyOrdersRecovered(Guid WorkspaceId, string Trigger, IReadOnlyList<long> OrderIds, DateTimeOffset RecoveredAt);
