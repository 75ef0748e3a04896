using MassTransit;

namespace MorfX.Contracts;

/// <summary>
/// Shopify's mandatory compliance webhooks (customers/data_request, customers/redact, shop/redact), verified by
/// webhook-ingest and announced to every service that holds Shopify-derived data. RequestId is deterministic from
/// the delivery, so a redelivery is the same request.
/// </summary>
public static class ComplianceTopics
{
    public const string CustomersDataRequest = "customers/data_request";
    public const string CustomersRedact = "customers/redact";
    public const string ShopRedact = "shop/redact";
}

/// <summary>The customer a compliance webhook names: any of the three may be missing; the phone is E.164 when usable.</summary>
public record ShopifyCustomerRef(long? Id, string? Email, string? Phone);

[EntityName("shopify.customers_data_request"), MessageUrn("shopify.customers_data_request")]
public record ShopifyCustomerDataRequested(
    Guid RequestId, Guid WorkspaceId, string ShopDomain, long? ShopifyRequestId, ShopifyCustomerRef Customer,
    IReadOnlyList<long> OrdersRequested, DateTimeOffset RequestedAt);

[EntityName("shopify.customers_redact"), MessageUrn("shopify.customers_redact")]
public record ShopifyCustomerRedactRequested(
    Guid RequestId, Guid WorkspaceId, string ShopDomain, ShopifyCustomerRef Customer, IReadOnlyList<long> OrdersToRedact, DateTimeOffset RequestedAt);

[EntityName("shopify.shop_redact"), MessageUrn("shopify.shop_redact")]
public record ShopifyShopRedactRequested(Guid RequestId, Guid WorkspaceId, string ShopDomain, DateTimeOffset RequestedAt);

/// <summary>
/// The engine, having found a redacted customer's (or shop's) SMS: sms-sender and usage-api erase the recipient and the
/// text of these requests and of any message to these phones. Counts and costs stay.
/// </summary>
public record SmsRecipientsRedacted(Guid RedactionId, Guid WorkspaceId, IReadOnlyList<Guid> RequestIds, IReadOnlyList<string> Phones)
{
    /// <summary>What an erased recipient number reads as, wherever it was kept.</summary>
    public const string ErasedNumber = "****";
}

/// <summary>The engine asks sms-sender to report what it holds for a customer data request.</summary>
public record CustomerSmsDataRequested(Guid RequestId, Guid WorkspaceId, IReadOnlyList<Guid> RequestIds, IReadOnlyList<string> Phones);

/// <summary>What one service holds about the customer of a data request (JSON), collected by config-api for the merchant.</summary>
public record CustomerDataReported(Guid RequestId, Guid WorkspaceId, string Service, string DataJson, DateTimeOffset ReportedAt);
