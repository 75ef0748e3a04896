namespace MorfX.Contracts;

/// <summary>
/// A Shopify order or draft order, normalised: every field optional, money as decimal, phones in E.164.
/// RawJson keeps the whole delivery for the fields the mapping does not name.
/// </summary>
public record ShopifyOrder(
    string ShopDomain,
    long? Id,
    string? Name,
    long? OrderNumber,
    string? Email,
    string? Phone,
    decimal? TotalPrice,
    string? Currency,
    string? FinancialStatus,
    string? FulfillmentStatus,
    ShopifyCustomer? Customer,
    IReadOnlyList<ShopifyLineItem> LineItems,
    ShopifyAddress? ShippingAddress,
    IReadOnlyList<string> Tags,
    string? Note,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    string? DraftStatus,
    string? InvoiceUrl,
    long? CompletedOrderId,
    string RawJson);

public record ShopifyCustomer(long? Id, string? Email, string? FirstName, string? LastName, string? Phone);

public record ShopifyLineItem(long? Id, string? Sku, string? Title, string? VariantTitle, int Quantity, decimal? Price);

public record ShopifyAddress(
    string? Name, string? Address1, string? Address2, string? City, string? Province, string? Zip, string? Country, string? Phone);
