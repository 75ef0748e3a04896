
namespace MorfX.AutomationEngine.Data;

/// <summary>The last seen copy of a Shopify order (its variables, flattened): what "changed to" compares with.</summary>
public class LastShopifyOrder
{
    public Guid WorkspaceId { get; set; }
    public long ShopifyOrderId { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public required string Fields { get; set; }
    public DateTimeOffset? OrderUpdatedAt { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}
