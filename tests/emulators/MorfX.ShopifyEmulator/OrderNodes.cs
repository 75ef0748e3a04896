using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// A stored REST order (the webhook's JSON) as the Admin GraphQL API (2026-10) shows it: Order and DraftOrder nodes with
/// gids, camelCase fields, enum values upper-cased, tags as a list, money as MoneyBags and timestamps in UTC ("…Z"; REST
/// carries the shop's offset). The emulator returns every field below whatever the selection set asks for.
/// </summary>
public static class OrderNodes
{
    public static JsonObject Order(JsonObject rest)
    {
        var id = Id(rest) ?? 0;
        var node = Common(rest, "Order", id);
        // Order.number (Int!) is REST's order_number.
        node["number"] = rest["order_number"] is JsonValue n && n.TryGetValue<long>(out var number) ? number : null;
        node["cancelledAt"] = Utc(rest, "cancelled_at");
        node["processedAt"] = Utc(rest, "processed_at");
        node["cancelReason"] = Text(rest, "cancel_reason")?.ToUpperInvariant();
        node["displayFinancialStatus"] = Text(rest, "financial_status")?.ToUpperInvariant();
        node["displayFulfillmentStatus"] = Text(rest, "fulfillment_status") switch
        {
            null => "UNFULFILLED",
            "partial" => "PARTIALLY_FULFILLED",
            var status => status.ToUpperInvariant(), // fulfilled, restocked
        };
        node["lineItems"] = LineItems(rest, "LineItem");
        node["fulfillments"] = Fulfillments(rest);
        return node;
    }

    public static JsonObject DraftOrder(JsonObject rest)
    {
        var id = Id(rest) ?? 0;
        var node = Common(rest, "DraftOrder", id);
        node["status"] = Text(rest, "status")?.ToUpperInvariant(); // open, invoice_sent, completed
        node["invoiceUrl"] = Text(rest, "invoice_url");
        node["order"] = Id(rest, "order_id") is { } orderId
            ? new JsonObject { ["id"] = $"gid://shopify/Order/{orderId}", ["legacyResourceId"] = orderId.ToString(CultureInfo.InvariantCulture) }
            : null;
        // A draft order's lines are DraftOrderLineItems at Shopify, with ids of that type.
        node["lineItems"] = LineItems(rest, "DraftOrderLineItem");
        return node;
    }

    // The fields orders and draft orders share.
    static JsonObject Common(JsonObject rest, string type, long id)
    {
        var currency = Currency(rest);
        return new JsonObject
        {
            ["id"] = $"gid://shopify/{type}/{id}",
            ["legacyResourceId"] = id.ToString(CultureInfo.InvariantCulture),
            ["name"] = Text(rest, "name"),
            ["email"] = Text(rest, "email"),
            ["phone"] = Text(rest, "phone"),
            ["note"] = Text(rest, "note"),
            ["tags"] = Tags(rest["tags"]),
            ["createdAt"] = Utc(rest, "created_at"),
            ["updatedAt"] = Utc(rest, "updated_at"),
            ["currencyCode"] = currency,
            ["presentmentCurrencyCode"] = Text(rest, "presentment_currency") ?? currency,
            ["totalPriceSet"] = MoneyBag(
                Text(rest, "total_price") ?? Text(rest["total_price_set"]?["shop_money"] as JsonObject, "amount") ?? "0.00",
                currency,
                rest["total_price_set"] as JsonObject),
            ["customer"] = Customer(rest["customer"] as JsonObject),
            ["shippingAddress"] = Address(rest["shipping_address"] as JsonObject),
            ["billingAddress"] = Address(rest["billing_address"] as JsonObject),
        };
    }

    static JsonObject? Customer(JsonObject? customer)
    {
        if (customer is null || Id(customer) is not { } id) return null;
        var email = Text(customer, "email");
        var phone = Text(customer, "phone");
        return new JsonObject
        {
            ["id"] = $"gid://shopify/Customer/{id}",
            ["legacyResourceId"] = id.ToString(CultureInfo.InvariantCulture),
            ["firstName"] = Text(customer, "first_name"),
            ["lastName"] = Text(customer, "last_name"),
            ["email"] = email,
            ["phone"] = phone,
            ["defaultEmailAddress"] = email is null ? null : new JsonObject { ["emailAddress"] = email },
            ["defaultPhoneNumber"] = phone is null ? null : new JsonObject { ["phoneNumber"] = phone },
            ["defaultAddress"] = Address(customer["default_address"] as JsonObject),
        };
    }

    // MailingAddress; REST's country_code is countryCodeV2, and a customer's default_address may lack the full name.
    static JsonObject? Address(JsonObject? address)
    {
        if (address is null) return null;
        var firstName = Text(address, "first_name");
        var lastName = Text(address, "last_name");
        var joined = string.Join(' ', new[] { firstName, lastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new JsonObject
        {
            ["name"] = Text(address, "name") ?? (joined.Length > 0 ? joined : null),
            ["firstName"] = firstName,
            ["lastName"] = lastName,
            ["company"] = Text(address, "company"),
            ["address1"] = Text(address, "address1"),
            ["address2"] = Text(address, "address2"),
            ["city"] = Text(address, "city"),
            ["province"] = Text(address, "province"),
            ["provinceCode"] = Text(address, "province_code"),
            ["zip"] = Text(address, "zip"),
            ["country"] = Text(address, "country"),
            ["countryCodeV2"] = Text(address, "country_code"),
            ["phone"] = Text(address, "phone"),
        };
    }

    // Fulfillment: REST's shipment_status (the carrier's word) is displayStatus, else the fulfillment's own state shows;
    // each REST tracking number is a trackingInfo entry with the fulfillment's company and the url at the same place.
    static JsonArray Fulfillments(JsonObject rest)
    {
        var list = new JsonArray();
        foreach (var f in (rest["fulfillments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var numbers = Strings(f, "tracking_numbers") is { Count: > 0 } many ? many : [.. new[] { Text(f, "tracking_number") }.OfType<string>()];
            var urls = Strings(f, "tracking_urls") is { Count: > 0 } links ? links : [.. new[] { Text(f, "tracking_url") }.OfType<string>()];
            var status = Text(f, "status");
            list.Add(new JsonObject
            {
                ["id"] = $"gid://shopify/Fulfillment/{Id(f)}",
                ["createdAt"] = Utc(f, "created_at"),
                ["updatedAt"] = Utc(f, "updated_at"),
                ["status"] = status?.ToUpperInvariant(),
                ["displayStatus"] = Text(f, "shipment_status")?.ToUpperInvariant() ?? status switch
                {
                    "success" => "FULFILLED",
                    "cancelled" => "CANCELED",
                    "failure" or "error" => "FAILURE",
                    _ => null,
                },
                ["trackingInfo"] = new JsonArray([.. numbers.Select((number, i) => (JsonNode)new JsonObject
                {
                    ["number"] = number,
                    ["company"] = Text(f, "tracking_company"),
                    ["url"] = i < urls.Count ? urls[i] : null,
                })]),
            });
        }
        return list;
    }

    static List<string> Strings(JsonObject o, string name) =>
        [.. (o[name] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()];

    // REST's price is the unit price before discounts: GraphQL's originalUnitPriceSet.
    static JsonObject LineItems(JsonObject rest, string type)
    {
        var currency = Currency(rest);
        var nodes = new JsonArray();
        foreach (var item in (rest["line_items"] as JsonArray ?? []).OfType<JsonObject>())
            nodes.Add(new JsonObject
            {
                ["id"] = $"gid://shopify/{type}/{Id(item)}",
                ["name"] = Text(item, "name"),
                ["sku"] = Text(item, "sku"),
                ["title"] = Text(item, "title"),
                ["variantTitle"] = Text(item, "variant_title"),
                ["quantity"] = Id(item, "quantity") ?? 0,
                ["originalUnitPriceSet"] = MoneyBag(Text(item, "price") ?? "0.00", currency, item["price_set"] as JsonObject),
            });
        return new JsonObject { ["nodes"] = nodes };
    }

    // Amounts stay the decimal strings REST sent ("149.90"); presentment money is the REST set's when it has one.
    static JsonObject MoneyBag(string amount, string? currency, JsonObject? restSet)
    {
        var shopMoney = new JsonObject { ["amount"] = amount, ["currencyCode"] = currency };
        var presentment = restSet?["presentment_money"] as JsonObject;
        return new JsonObject
        {
            ["shopMoney"] = shopMoney,
            ["presentmentMoney"] = presentment is null
                ? shopMoney.DeepClone()
                : new JsonObject { ["amount"] = Text(presentment, "amount") ?? amount, ["currencyCode"] = Text(presentment, "currency_code") ?? currency },
        };
    }

    // REST sends "vip, mayorista ,  primera-compra"; GraphQL a list of trimmed tags.
    static JsonArray Tags(JsonNode? tags) => tags switch
    {
        JsonArray list => new JsonArray([.. list.Select(t => (JsonNode?)JsonValue.Create(t?.ToString().Trim()))]),
        JsonValue value when value.TryGetValue<string>(out var text) =>
            new JsonArray([.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode?)JsonValue.Create(t))]),
        _ => [],
    };

    static string? Currency(JsonObject rest) => Text(rest, "currency");

    /// <summary>The REST timestamp's instant, or null when absent or unreadable.</summary>
    public static DateTimeOffset? Instant(JsonObject rest, string name) =>
        Text(rest, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;

    // GraphQL's DateTime: ISO-8601 in UTC, whole seconds ("2026-11-20T15:15:34Z").
    static string? Utc(JsonObject rest, string name) =>
        Instant(rest, name)?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static long? Id(JsonObject o, string name = "id") =>
        o[name] is JsonValue v && v.TryGetValue<long>(out var id) ? id : null;

    // A string field; a number REST sent where a string is expected keeps its JSON text.
    static string? Text(JsonObject? o, string name) => o?[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };
}
