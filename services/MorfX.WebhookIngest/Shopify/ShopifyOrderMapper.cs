using System.Globalization;
using System.Text.Json;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Messaging;

namespace MorfX.WebhookIngest.Shopify;

/// <summary>
/// Turns an order or draft-order webhook payload (the REST resource at the JSON root, PROTOCOLS.md) into the normalized
/// <see cref="ShopifyOrder"/>. Real payloads are messy, so every field is optional: a missing, null or mistyped field
/// becomes null rather than an error. Money is parsed as invariant decimal; phones become E.164 with the shop's country.
/// </summary>
public static class ShopifyOrderMapper
{
    public static ShopifyOrder Map(JsonElement root, bool isDraft, string shopDomain, string defaultCountry, string rawJson)
    {
        var customer = root.TryGetProperty("customer", out var c) && c.ValueKind == JsonValueKind.Object
            ? new ShopifyCustomer(Long(c, "id"), Text(c, "email"), Text(c, "first_name"), Text(c, "last_name"),
                PhoneNumbers.Normalize(Text(c, "phone"), defaultCountry))
            : null;

        var lineItems = root.TryGetProperty("line_items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
                .Select(i => new ShopifyLineItem(Long(i, "id"), Text(i, "sku"), Text(i, "title"), Text(i, "variant_title"),
                    (int)(Long(i, "quantity") ?? 0), Money(i, "price")))
                .ToList()
            : [];

        var shipping = root.TryGetProperty("shipping_address", out var a) && a.ValueKind == JsonValueKind.Object
            ? new ShopifyAddress(Text(a, "name"), Text(a, "address1"), Text(a, "address2"), Text(a, "city"), Text(a, "province"),
                Text(a, "zip"), Text(a, "country"), PhoneNumbers.Normalize(Text(a, "phone"), defaultCountry))
            : null;

        var tags = (Text(root, "tags") ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        return new ShopifyOrder(
            ShopDomain: shopDomain,
            Id: Long(root, "id"),
            Name: Text(root, "name"),
            OrderNumber: Long(root, "order_number"),
            Email: Text(root, "email"),
            Phone: PhoneNumbers.Normalize(Text(root, "phone"), defaultCountry),
            TotalPrice: Money(root, "total_price"),
            Currency: Text(root, "currency"),
            FinancialStatus: Text(root, "financial_status"),
            FulfillmentStatus: Text(root, "fulfillment_status"),
            Customer: customer,
            LineItems: lineItems,
            ShippingAddress: shipping,
            Tags: tags,
            Note: Text(root, "note"),
            CreatedAt: Timestamp(root, "created_at"),
            UpdatedAt: Timestamp(root, "updated_at"),
            DraftStatus: isDraft ? Text(root, "status") : null,
            InvoiceUrl: isDraft ? Text(root, "invoice_url") : null,
            CompletedOrderId: isDraft ? Long(root, "order_id") : null,
            RawJson: rawJson);
    }

    /// <summary>A string (or a number written as text); blank strings count as absent, as Shopify sends "" for redacted fields.</summary>
    static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    static long? Long(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;

    static decimal? Money(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;

    static DateTimeOffset? Timestamp(JsonElement parent, string name) =>
        Text(parent, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;
}
