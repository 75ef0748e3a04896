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
}

public sealed class ShopifyWebhookSubscriptionConfiguration : IEntityTypeConfiguration<ShopifyWebhookSubscription>
{
    public void Configure(EntityTypeBuilder<ShopifyWebhookSubscription> e)
    {
        e.HasKey(w => new { w.WorkspaceId, w.Topic });
    }
}
