using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>One of the shop's webhook subscriptions (topic in GraphQL enum form, e.g. ORDERS_CREATE) and the last delivery seen.</summary>
public class ShopifyWebhookSubscription
{
    public Guid WorkspaceId { get; set; }
    public required string Topic { get; set; }
    /// <summary>Shopify's id (gid://shopify/WebhookSubscription/…), null while the subscription could not be created.</summary>
    public string? SubscriptionId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? SubscribedAt { get; set; }
    public DateTimeOffset? LastDeliveryAt { get; set; }
    /// <summary>The X-Shopify-API-Version of the last delivery announced.</summary>
    public string? LastDeliveryApiVersion { get; set; }
    /// <summary>When the watchdog last created it again after Shopify removed it.</summary>
    public DateTimeOffset? RestoredAt { get; set; }
}

/// <summary>A subscription the watchdog found missing at Shopify and created again (or failed to).</summary>
public class ShopifySubscriptionRepair
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Topic { get; set; }
    public string? SubscriptionId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset RepairedAt { get; set; }
}

/// <summary>An order whose event the engine first ran from reconciliation (ShopifyOrdersRecovered).</summary>
public class ShopifyRecoveredOrder
{
    public Guid WorkspaceId { get; set; }
    public required string Trigger { get; set; }
    public long OrderId { get; set; }
    public DateTimeOffset RecoveredAt { get; set; }
}

public sealed class ShopifyRecoveredOrderConfiguration : IEntityTypeConfiguration<ShopifyRecoveredOrder>
{
    public void Configure(EntityTypeBuilder<ShopifyRecoveredOrder> e)
    {
        e.HasKey(r => new { r.WorkspaceId, r.Trigger, r.OrderId });
        // The health's 24 h and 7-day counts, and retention.
        e.HasIndex(r => new { r.WorkspaceId, r.RecoveredAt });
    }
}

public sealed class ShopifySubscriptionRepairConfiguration : IEntityTypeConfiguration<ShopifySubscriptionRepair>
{
    public void Configure(EntityTypeBuilder<ShopifySubscriptionRepair> e) => e.HasIndex(r => new { r.WorkspaceId, r.RepairedAt });
}

public sealed class ShopifyWebhookSubscriptionConfiguration : IEntityTypeConfiguration<ShopifyWebhookSubscription>
{
    public void Configure(EntityTypeBuilder<ShopifyWebhookSubscription> e)
    {
        e.HasKey(w => new { w.WorkspaceId, w.Topic });
    }
}
