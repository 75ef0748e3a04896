namespace MorfX.Contracts;

/// <summary>
/// A Shopify order or draft order, normalised where it is parsed: every field optional, money as decimal, phones in
/// E.164 (each with the country of the address it came from), timestamps in UTC. CreatedAtAsSent keeps the shop's own
/// text for people to read; RawJson keeps the whole delivery for the fields the mapping does not name.
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
    string RawJson)
{
    public ShopifyAddress? BillingAddress { get; init; }
    public string? CreatedAtAsSent { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? CancelReason { get; init; }
    public string? PresentmentCurrency { get; init; }

    /// <summary>The first phone the order names, as sent, kept so a run can say it was unusable rather than missing.</summary>
    public string? PhoneAsSent { get; init; }
}

public record ShopifyCustomer(long? Id, string? Email, string? FirstName, string? LastName, string? Phone)
{
    public ShopifyAddress? DefaultAddress { get; init; }
}

public record ShopifyLineItem(long? Id, string? Sku, string? Title, string? VariantTitle, int Quantity, decimal? Price);

public record ShopifyAddress(
    string? Name, string? Address1, string? Address2, string? City, string? Province, string? Zip, string? Country, string? Phone)
{
    /// <summary>ISO 3166 alpha-2, as Shopify's <c>country_code</c>: the country a local phone of this address is dialled in.</summary>
    public string? CountryCode { get; init; }
}
