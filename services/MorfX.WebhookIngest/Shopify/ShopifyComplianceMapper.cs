using System.Text.Json;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ShopifyOrders;

namespace MorfX.WebhookIngest.Shopify;

/// <summary>
/// Shopify's mandatory compliance webhooks (docs/protocols.md) into the messages every service acts on:
/// <c>customers/data_request</c> <c>{shop_domain, orders_requested[], customer{id, email, phone}, data_request{id}}</c>,
/// <c>customers/redact</c> <c>{shop_domain, customer{…}, orders_to_redact[]}</c> and <c>shop/redact</c> <c>{shop_domain}</c>.
/// </summary>
public static class ShopifyComplianceMapper
{
    public static readonly IReadOnlySet<string> Topics = new HashSet<string>
    {
        ComplianceTopics.CustomersDataRequest, ComplianceTopics.CustomersRedact, ComplianceTopics.ShopRedact,
    };

    public static object Map(string topic, JsonElement root, Guid requestId, Guid workspaceId, string shopDomain, string defaultCountry,
        DateTimeOffset at) => topic switch
        {
            ComplianceTopics.CustomersDataRequest => new ShopifyCustomerDataRequested(requestId, workspaceId, shopDomain,
                root.TryGetProperty("data_request", out var r) && r.ValueKind == JsonValueKind.Object ? Long(r, "id") : null,
                Customer(root, defaultCountry), Ids(root, "orders_requested"), at),
            ComplianceTopics.CustomersRedact => new ShopifyCustomerRedactRequested(requestId, workspaceId, shopDomain,
                Customer(root, defaultCountry), Ids(root, "orders_to_redact"), at),
            _ => new ShopifyShopRedactRequested(requestId, workspaceId, shopDomain, at),
        };

    static ShopifyCustomerRef Customer(JsonElement root, string defaultCountry)
    {
        if (!root.TryGetProperty("customer", out var c) || c.ValueKind != JsonValueKind.Object) return new(null, null, null);
        var email = ShopifyOrderMapper.Text(c, "email")?.ToLowerInvariant();
        return new(Long(c, "id"), email, PhoneNumbers.Normalize(ShopifyOrderMapper.Text(c, "phone"), defaultCountry));
    }

    static IReadOnlyList<long> Ids(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var id) ? id : (long?)null)
                .OfType<long>().Distinct().Take(10_000)]
            : [];

    static long? Long(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
