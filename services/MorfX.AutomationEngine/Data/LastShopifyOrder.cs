using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>The last seen copy of a Shopify order (its variables, flattened): what "changed to" compares with.</summary>
public class LastShopifyOrder
{
    public Guid WorkspaceId { get; set; }
    public long ShopifyOrderId { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public required string Fields { get; set; }
    public DateTimeOffset? OrderUpdatedAt { get; set; }
    /// <summary>The latest X-Shopify-Triggered-At of the orders/updated webhooks of this state (OrderUpdatedAt).</summary>
    public DateTimeOffset? UpdateTriggeredAt { get; set; }
    /// <summary>This state was read from the Admin API: the order as of OrderUpdatedAt, which no webhook of that moment can add to.</summary>
    public bool StateReconciled { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}

public sealed class LastShopifyOrderConfiguration : IEntityTypeConfiguration<LastShopifyOrder>
{
    public void Configure(EntityTypeBuilder<LastShopifyOrder> e)
    {
        e.ToTable("last_shopify_orders");
        e.HasKey(o => new { o.WorkspaceId, o.ShopifyOrderId });
        e.Property(o => o.Fields).HasColumnType("jsonb");
        e.HasIndex(o => o.SeenAt);
    }
}
