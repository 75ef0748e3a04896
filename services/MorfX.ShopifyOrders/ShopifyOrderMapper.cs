using System.Globalization;
using System.Text;
using System.Text.Json;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.ShopifyOrders;

/// <summary>
/// Turns an order or draft-order webhook payload (the REST resource at the JSON root, docs/protocols.md) into the normalized
/// <see cref="ShopifyOrder"/>. Real payloads are messy, so every field is optional: a missing, null or mistyped field
/// becomes null rather than an error. This is where outside data is made safe for everything downstream:
/// timestamps become UTC (shops send their own offset), text loses what PostgreSQL cannot store (NUL, lone
/// surrogates), money is invariant decimal, and each phone becomes E.164 with the country of the address it came
/// from, else the workspace's default country.
/// </summary>
public static partial class ShopifyOrderMapper
{
    public static ShopifyOrder Map(JsonElement root, bool isDraft, string shopDomain, string defaultCountry, string rawJson)
    {
        var customer = Object(root, "customer") is { } c
            ? new ShopifyCustomer(Long(c, "id"), Text(c, "email"), Text(c, "first_name"), Text(c, "last_name"),
                PhoneNumbers.Normalize(Text(c, "phone"), defaultCountry))
            {
                DefaultAddress = Address(c, "default_address", defaultCountry),
                SmsMarketingState = Object(c, "sms_marketing_consent") is { } consent ? Text(consent, "state") : null,
                SmsMarketingUpdatedAt = Object(c, "sms_marketing_consent") is { } at ? Timestamp(at, "consent_updated_at") : null,
            }
            : null;

        var lineItems = root.TryGetProperty("line_items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
                .Select(i => new ShopifyLineItem(Long(i, "id"), Text(i, "sku"), Text(i, "title"), Text(i, "variant_title"),
                    (int)Math.Clamp(Long(i, "quantity") ?? 0, int.MinValue, int.MaxValue), Money(i, "price")))
                .ToList()
            : [];

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
            ShippingAddress: Address(root, "shipping_address", defaultCountry),
            Tags: Tags(root),
            Note: Text(root, "note"),
            CreatedAt: Timestamp(root, "created_at"),
            UpdatedAt: Timestamp(root, "updated_at"),
            DraftStatus: isDraft ? Text(root, "status") : null,
            InvoiceUrl: isDraft ? Text(root, "invoice_url") : null,
            CompletedOrderId: isDraft ? Long(root, "order_id") : null,
            RawJson: rawJson)
        {
            BillingAddress = Address(root, "billing_address", defaultCountry),
            CreatedAtAsSent = Timestamp(root, "created_at") is null ? null : Text(root, "created_at"),
            CancelledAt = Timestamp(root, "cancelled_at"),
            CancelReason = Text(root, "cancel_reason"),
            Fulfillments = Fulfillments(root),
            PresentmentCurrency = Text(root, "presentment_currency"),
            PhoneAsSent = RawPhones(root).FirstOrDefault(),
        };
    }

    /// <summary>
    /// The order's shipments. Shopify writes one tracking number, company and url per fulfillment, both as the singular
    /// field and as a list (<c>tracking_numbers</c>, <c>tracking_urls</c>); older payloads may carry only one of the two.
    /// </summary>
    static IReadOnlyList<ShopifyFulfillment> Fulfillments(JsonElement root) =>
        root.TryGetProperty("fulfillments", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object)
                .Select(f => new ShopifyFulfillment(Text(f, "status"), Text(f, "shipment_status"),
                    Text(f, "tracking_number") ?? FirstText(f, "tracking_numbers"), Text(f, "tracking_company"),
                    Text(f, "tracking_url") ?? FirstText(f, "tracking_urls"), Timestamp(f, "created_at"), Timestamp(f, "updated_at")))]
            : [];

    static string? FirstText(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String)
                .Select(x => Clean(StringOf(x)).Trim()).FirstOrDefault(x => x.Length > 0)
            : null;

    /// <summary>The phones an order names, in the order a recipient is chosen (see the engine's TriggerVariables.CustomerPhone).</summary>
    static IEnumerable<string> RawPhones(JsonElement root)
    {
        var customer = Object(root, "customer");
        JsonElement?[] holders = [customer, root, Object(root, "shipping_address"), Object(root, "billing_address"),
            customer is { } c ? Object(c, "default_address") : null];
        return holders.OfType<JsonElement>().Select(h => Text(h, "phone")).OfType<string>();
    }

    /// <summary>
    /// An ISO 8601 timestamp in UTC. Shopify writes each shop's own offset (<c>2026-11-20T18:42:09-05:00</c>); PostgreSQL's
    /// timestamptz and every comparison downstream want UTC, so the conversion happens here, once.
    /// </summary>
    public static DateTimeOffset? ParseTimestamp(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : null;

    static DateTimeOffset? Timestamp(JsonElement parent, string name) => ParseTimestamp(Text(parent, name));

    static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    static ShopifyAddress? Address(JsonElement parent, string name, string defaultCountry)
    {
        if (Object(parent, name) is not { } a) return null;
        var countryCode = Text(a, "country_code")?.ToUpperInvariant();
        // A local number is dialled in the country of its own address; an address abroad must not get the shop's code.
        var phoneCountry = PhoneNumbers.IsKnownCountry(countryCode) ? countryCode! : defaultCountry;
        return new ShopifyAddress(Text(a, "name"), Text(a, "address1"), Text(a, "address2"), Text(a, "city"), Text(a, "province"),
            Text(a, "zip"), Text(a, "country"), PhoneNumbers.Normalize(Text(a, "phone"), phoneCountry))
        {
            CountryCode = countryCode,
        };
    }

    /// <summary>Shopify sends tags as one comma-separated string; an array is accepted too.</summary>
    static IReadOnlyList<string> Tags(JsonElement root)
    {
        if (root.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array)
            return [.. t.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => Clean(StringOf(v)).Trim()).Where(v => v.Length > 0)];
        return (Text(root, "tags") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A string (or a number written as text); blank strings count as absent, as Shopify sends "" for redacted fields.</summary>
    public static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => Clean(StringOf(v)) is var s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null,
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>
    /// A JSON string's value. JSON may escape a lone UTF-16 surrogate (<c>"\ud800"</c>), which System.Text.Json refuses to
    /// decode; such escapes become U+FFFD instead of failing the whole delivery.
    /// </summary>
    static string StringOf(JsonElement value)
    {
        try { return value.GetString()!; }
        catch (InvalidOperationException)
        {
            var lenient = LoneSurrogateEscape().Replace(value.GetRawText(), "\\uFFFD");
            return JsonSerializer.Deserialize<string>(lenient) ?? "";
        }
    }

    // Any escaped surrogate (a valid pair in the same string degrades too: only strings that failed to decode get here).
    [System.Text.RegularExpressions.GeneratedRegex(@"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")]
    private static partial System.Text.RegularExpressions.Regex LoneSurrogateEscape();

    static long? Long(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;

    /// <summary>Money within what the CRM stores (numeric(14,2)); anything else is not a price.</summary>
    static decimal? Money(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var v)) return null;
        decimal? value = v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
        return value is { } m && Math.Abs(m) < 1_000_000_000_000m ? Math.Round(m, 2) : null;
    }

    /// <summary>
    /// Text PostgreSQL can store: NUL and other control characters (tab and line breaks excepted) are dropped and lone
    /// UTF-16 surrogates (JSON can escape them, UTF-8 cannot encode them) become U+FFFD.
    /// </summary>
    public static string Clean(string text)
    {
        StringBuilder? clean = null; // built only from the first character that must go
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var pair = char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var keep = pair || !(char.IsSurrogate(ch) || (char.IsControl(ch) && ch is not ('\t' or '\n' or '\r')));
            if (keep && clean is null) { if (pair) i++; continue; }
            clean ??= new StringBuilder(text.Length).Append(text, 0, i);
            if (pair) clean.Append(ch).Append(text[++i]);
            else if (keep) clean.Append(ch);
            else if (char.IsSurrogate(ch)) clean.Append('\uFFFD');
        }
        return clean?.ToString() ?? text;
    }
}
