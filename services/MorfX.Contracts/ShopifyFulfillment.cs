namespace MorfX.Contracts;

/// <summary>
/// One shipment of an order, as Shopify's <c>fulfillments[]</c> names it: <c>status</c> (pending, open, success, cancelled,
/// error, failure), the carrier's <c>shipment_status</c> (in_transit, delivered, …) and the first tracking number, company
/// and url. Timestamps in UTC.
/// </summary>
public record ShopifyFulfillment(
    string? Status,
    string? ShipmentStatus,
    string? TrackingNumber,
    string? TrackingCompany,
    string? TrackingUrl,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);
