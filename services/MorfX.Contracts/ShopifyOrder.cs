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
    public IReadOnlyList<ShopifyFulfillment> Fulfillments { get; init; } = [];
    public string? PresentmentCurrency { get; init; }

    /// <summary>The first phone the order names, as sent, kept so a run can say it was unusable rather than missing.</summary>
    public string? PhoneAsSent { get; init; }
}
