using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MorfX.ShopifyOrders;

/// <summary>
/// The Admin GraphQL API's <c>Order</c> and <c>DraftOrder</c> (what reconciliation reads) in the REST webhook's shape, so
/// that <see cref="ShopifyOrderMapper"/> is the one mapping of both paths: the same fields give the same trigger variables
/// whichever way an order arrived. GraphQL writes enums upper-case (<c>PAID</c>), ids as gids next to
/// <c>legacyResourceId</c>, money as <c>{amount, currencyCode}</c>, tags as a list and every time in UTC; the REST payload
/// writes them lower-case, numeric, flat, comma-separated and in the shop's offset. <c>created_at</c> is written back in the
/// shop's time zone (<c>shop.ianaTimezone</c>), as the webhook would have written it for <c>{{orden.fecha}}</c>.
/// </summary>
public static class ShopifyGraphQlOrders
{
    /// <summary>
    /// The fields reconciliation selects: exactly those <see cref="ToRestShape"/> reads. Up to 50 line items an order (the
    /// webhook carries them all): enough for any SMS, and it keeps a page's query cost within Shopify's limit.
    /// Likewise 5 fulfillments (a shipment each) with their first tracking number, as REST's singular fields.
    /// </summary>
    public const string OrderFields = """
        id legacyResourceId name number email phone note tags createdAt updatedAt cancelledAt cancelReason
        displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { legacyResourceId firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber marketingState marketingUpdatedAt } defaultAddress { ...Address } }
        shippingAddress { ...Address } billingAddress { ...Address }
        lineItems(first: 50) { nodes { id sku title variantTitle quantity originalUnitPriceSet { shopMoney { amount } } } }
        fulfillments(first: 5) { createdAt updatedAt status displayStatus trackingInfo(first: 1) { number company url } }
        """;

    public const string DraftOrderFields = """
        id legacyResourceId name email phone note tags createdAt updatedAt status invoiceUrl
        currencyCode presentmentCurrencyCode order { legacyResourceId }
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { legacyResourceId firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber marketingState marketingUpdatedAt } defaultAddress { ...Address } }
        shippingAddress { ...Address } billingAddress { ...Address }
        lineItems(first: 50) { nodes { id sku title variantTitle quantity originalUnitPriceSet { shopMoney { amount } } } }
        """;

    public const string AddressFragment = "fragment Address on MailingAddress { name address1 address2 city province zip country countryCodeV2 phone }";

    /// <summary>An Order or DraftOrder node as the REST payload would have carried it.</summary>
    public static JsonObject ToRestShape(JsonElement node, bool isDraft, TimeZoneInfo shopZone)
    {
        var rest = new JsonObject
        {
            ["id"] = Id(node),
            ["name"] = Text(node, "name"),
            ["order_number"] = Text(node, "number"),
            ["email"] = Text(node, "email"),
            ["phone"] = Text(node, "phone"),
            ["note"] = Text(node, "note"),
            ["tags"] = node.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array ? JsonNode.Parse(tags.GetRawText()) : null,
            ["created_at"] = InShopZone(Text(node, "createdAt"), shopZone),
            ["updated_at"] = Text(node, "updatedAt"),
            ["currency"] = Text(node, "currencyCode") ?? Text(Path(node, "totalPriceSet", "shopMoney"), "currencyCode"),
            ["presentment_currency"] = Text(node, "presentmentCurrencyCode"),
            ["total_price"] = Amount(Path(node, "totalPriceSet", "shopMoney")),
            ["customer"] = Customer(Path(node, "customer"), shopZone),
            ["shipping_address"] = Address(Path(node, "shippingAddress")),
            ["billing_address"] = Address(Path(node, "billingAddress")),
            ["line_items"] = LineItems(Path(node, "lineItems")),
        };
        if (isDraft)
        {
            rest["status"] = Lower(Text(node, "status"));
            rest["invoice_url"] = Text(node, "invoiceUrl");
            rest["order_id"] = Id(Path(node, "order"));
        }
        else
        {
            rest["cancelled_at"] = Text(node, "cancelledAt");
            rest["cancel_reason"] = Lower(Text(node, "cancelReason"));
            rest["financial_status"] = Lower(Text(node, "displayFinancialStatus"));
            rest["fulfillment_status"] = FulfillmentStatus(Text(node, "displayFulfillmentStatus"));
            rest["fulfillments"] = Fulfillments(Path(node, "fulfillments"));
        }
        return rest;
    }

    /// <summary>
    /// REST's <c>fulfillment_status</c> is null until something ships, then <c>partial</c>, <c>fulfilled</c> or
    /// <c>restocked</c>; GraphQL's display status names more states, which REST reports as null (nothing shipped yet).
    /// </summary>
    static string? FulfillmentStatus(string? display) => display switch
    {
        "FULFILLED" => "fulfilled",
        "PARTIALLY_FULFILLED" => "partial",
        "RESTOCKED" => "restocked",
        _ => null,
    };

    /// <summary>
    /// REST's fulfillment: <c>status</c> is the same enum lower-cased; <c>shipment_status</c> is the carrier's word, which
    /// GraphQL folds into <c>displayStatus</c> with states of the fulfillment itself (fulfilled, canceled, …) that REST
    /// leaves null. Tracking is a list in GraphQL, the first entry REST's singular fields.
    /// </summary>
    static JsonArray Fulfillments(JsonElement? fulfillments)
    {
        var rest = new JsonArray();
        if (fulfillments is not { ValueKind: JsonValueKind.Array } list) return rest;
        foreach (var f in list.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object))
        {
            var tracking = Path(f, "trackingInfo") is { ValueKind: JsonValueKind.Array } t ? t.EnumerateArray().FirstOrDefault() : default;
            rest.Add(new JsonObject
            {
                ["created_at"] = Text(f, "createdAt"),
                ["updated_at"] = Text(f, "updatedAt"),
                ["status"] = Lower(Text(f, "status")),
                ["shipment_status"] = Text(f, "displayStatus") is "FULFILLED" or "MARKED_AS_FULFILLED" or "CANCELED" or "SUBMITTED" or null
                    ? null : Lower(Text(f, "displayStatus")),
                ["tracking_number"] = Text(tracking, "number"),
                ["tracking_company"] = Text(tracking, "company"),
                ["tracking_url"] = Text(tracking, "url"),
            });
        }
        return rest;
    }

    static JsonObject? Customer(JsonElement? customer, TimeZoneInfo shopZone)
    {
        if (customer is not { } c) return null;
        return new JsonObject
        {
            ["id"] = Id(c),
            ["email"] = Text(Path(c, "defaultEmailAddress"), "emailAddress") ?? Text(c, "email"),
            ["first_name"] = Text(c, "firstName"),
            ["last_name"] = Text(c, "lastName"),
            ["phone"] = Text(Path(c, "defaultPhoneNumber"), "phoneNumber") ?? Text(c, "phone"),
            ["default_address"] = Address(Path(c, "defaultAddress")),
            ["sms_marketing_consent"] = Path(c, "defaultPhoneNumber") is { } phone && Text(phone, "marketingState") is { } state
                ? new JsonObject { ["state"] = state.ToLowerInvariant(), ["consent_updated_at"] = Text(phone, "marketingUpdatedAt") }
                : null,
        };
    }

    static JsonObject? Address(JsonElement? address) => address is not { } a ? null : new JsonObject
    {
        ["name"] = Text(a, "name"),
        ["address1"] = Text(a, "address1"),
        ["address2"] = Text(a, "address2"),
        ["city"] = Text(a, "city"),
        ["province"] = Text(a, "province"),
        ["zip"] = Text(a, "zip"),
        ["country"] = Text(a, "country"),
        ["country_code"] = Text(a, "countryCodeV2"),
        ["phone"] = Text(a, "phone"),
    };

    static JsonArray LineItems(JsonElement? connection)
    {
        var items = new JsonArray();
        if (connection is not { } c) return items;
        var nodes = Path(c, "nodes") ?? Path(c, "edges");
        if (nodes is not { ValueKind: JsonValueKind.Array } list) return items;
        foreach (var entry in list.EnumerateArray())
        {
            var item = Path(entry, "node") ?? entry;
            if (item.ValueKind != JsonValueKind.Object) continue;
            items.Add(new JsonObject
            {
                ["id"] = Id(item),
                ["sku"] = Text(item, "sku"),
                ["title"] = Text(item, "title") ?? Text(item, "name"),
                ["variant_title"] = Text(item, "variantTitle") ?? Text(Path(item, "variant"), "title"),
                ["quantity"] = item.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number ? JsonValue.Create(q.GetInt64()) : null,
                ["price"] = Amount(Path(item, "originalUnitPriceSet", "shopMoney")),
            });
        }
        return items;
    }

    /// <summary>The numeric id: <c>legacyResourceId</c>, else the number that ends the gid (gid://shopify/Order/450789469).</summary>
    static JsonNode? Id(JsonElement? node)
    {
        if (node is not { ValueKind: JsonValueKind.Object } n) return null;
        var text = Text(n, "legacyResourceId") ?? Text(n, "id")?.Split('/')[^1];
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? JsonValue.Create(id) : null;
    }

    /// <summary>A UTC time as the shop's own clock writes it (2026-11-20T18:42:09-05:00), the webhook's way.</summary>
    static string? InShopZone(string? utc, TimeZoneInfo shopZone)
    {
        if (ShopifyOrderMapper.ParseTimestamp(utc) is not { } t) return utc;
        var local = TimeZoneInfo.ConvertTime(t, shopZone);
        return local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>GraphQL drops trailing zeros (<c>"2000.0"</c>); REST writes two decimals (<c>"2000.00"</c>), as templates show them.</summary>
    static string? Amount(JsonElement? money) =>
        decimal.TryParse(Text(money, "amount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            ? amount.ToString("0.00", CultureInfo.InvariantCulture)
            : null;

    static string? Lower(string? value) => value?.ToLowerInvariant();

    static JsonElement? Path(JsonElement? node, params string[] names)
    {
        var current = node;
        foreach (var name in names)
            current = current is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        return current;
    }

    static string? Text(JsonElement? node, string name) =>
        node is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;
}
