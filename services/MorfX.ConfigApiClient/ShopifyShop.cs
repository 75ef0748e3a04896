namespace MorfX.ConfigApiClient;

/// <summary>A connected Shopify shop, from config-api's internal look-up. Holds secrets: never log them.</summary>
public sealed record ShopifyShop(
    Guid WorkspaceId, string ShopDomain, string Status, string ClientSecret, string? PreviousClientSecret, string DefaultCountry, bool AutoSyncOrders)
{
    /// <summary>When the shop was connected: an order created (or an update made) before it starts nothing.</summary>
    public DateTimeOffset? ConnectedAt { get; init; }

    public override string ToString() => $"ShopifyShop {{ WorkspaceId = {WorkspaceId}, ShopDomain = {ShopDomain}, Status = {Status}, ClientSecret = ****, DefaultCountry = {DefaultCountry}, AutoSyncOrders = {AutoSyncOrders} }}";
}
