using System.Globalization;
using System.Text;
using System.Text.Json;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;
using MorfX.ShopifyOrders;
using MorfX.Testing;
using MorfX.WebhookIngest.Shopify;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// Shopify's own payloads and the variants real stores send (tests/fixtures/shopify, each naming its source), mapped as
/// webhook-ingest maps them: the values the merchant's SMS is built from, and what is made safe for everything downstream.
/// The end-to-end corpus test sends the same files through the whole system.
/// </summary>
public class ShopifyOrderMapperTests
{
    static IEnumerable<ShopifyFixture> Corpus() => ShopifyFixture.In("vendor", "variants", "broken");

    static IEnumerable<ShopifyFixture> Readable() => ShopifyFixture.In("vendor", "variants");

    static ShopifyOrder Map(ShopifyFixture fixture) =>
        Map(fixture.PayloadText, fixture.ShopCountry, isDraft: fixture.Topic.StartsWith("draft_orders/", StringComparison.Ordinal));

    static ShopifyOrder Map(string json, string shopCountry, bool isDraft = false)
    {
        using var document = JsonDocument.Parse(json);
        return ShopifyOrderMapper.Map(document.RootElement, isDraft, "mi-tienda.myshopify.com", shopCountry, json);
    }

    [TestCaseSource(nameof(Corpus))]
    public void The_recipient_is_the_first_usable_phone_the_order_names(ShopifyFixture fixture)
    {
        var order = Map(fixture);

        Assert.That(TriggerVariables.CustomerPhone(order), Is.EqualTo(fixture.Expected("phone")), fixture.Source);
        // A run without a usable phone says why: no phone at all, or only phones that cannot be dialled.
        if (fixture.Expected("errorCode") == "no_phone") Assert.That(order.PhoneAsSent, Is.Null);
        if (fixture.Expected("errorCode") == "invalid_phone") Assert.That(order.PhoneAsSent, Is.Not.Null);
    }

    [TestCaseSource(nameof(Readable))]
    public void The_values_the_merchant_reads_are_those_the_shop_sent(ShopifyFixture fixture)
    {
        var order = Map(fixture);

        Assert.Multiple(() =>
        {
            Assert.That(TriggerVariables.CustomerName(order), Is.EqualTo(fixture.Expected("customerName")), "customer name");
            Assert.That(order.Name, Is.EqualTo(fixture.Expected("orderNumber")), "order number");
            Assert.That(order.TotalPrice?.ToString("0.00", CultureInfo.InvariantCulture), Is.EqualTo(fixture.Expected("total")), "total");
            Assert.That(order.Currency, Is.EqualTo(fixture.Expected("currency")), "shop currency, not presentment");
            Assert.That(order.CreatedAtAsSent, Is.EqualTo(fixture.Expected("createdAt")), "the date as the shop wrote it");
            if (fixture.ExpectedProducts.Count > 0)
                Assert.That(order.LineItems.Select(i => $"{i.Title} x {i.Quantity}"), Is.EqualTo(fixture.ExpectedProducts), "products");
            else
                Assert.That(order.LineItems, Has.Count.EqualTo(fixture.Expect.GetProperty("productCount").GetInt32()), "products");
        });
    }

    [TestCaseSource(nameof(Readable))]
    public void Timestamps_become_utc_at_the_same_instant(ShopifyFixture fixture)
    {
        var order = Map(fixture);
        var asSent = DateTimeOffset.Parse(fixture.Expected("createdAt")!, CultureInfo.InvariantCulture);

        Assert.That(order.CreatedAt, Is.EqualTo(asSent), "the same instant");
        Assert.That(order.CreatedAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "in UTC");
    }

    [TestCase("2026-11-20T18:42:09-05:00", "2026-11-20T23:42:09Z")]
    [TestCase("2026-11-21T05:12:09+05:30", "2026-11-20T23:42:09Z")]
    [TestCase("2026-11-20T23:42:09Z", "2026-11-20T23:42:09Z")]
    [TestCase("2026-11-20T23:42:09.123+00:00", "2026-11-20T23:42:09.123Z")]
    [TestCase("2026-11-20T23:42:09", "2026-11-20T23:42:09Z")]
    public void A_timestamp_with_any_offset_is_stored_in_utc(string sent, string utc)
    {
        var parsed = ShopifyOrderMapper.ParseTimestamp(sent);

        Assert.That(parsed, Is.EqualTo(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture)), "the same instant");
        Assert.That(parsed!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "in UTC");
    }

    [TestCase("not-a-date")]
    [TestCase("")]
    [TestCase(null)]
    public void A_timestamp_that_is_not_one_is_absent(string? sent) => Assert.That(ShopifyOrderMapper.ParseTimestamp(sent), Is.Null);

    [TestCase("GB", "07700 900123", "+447700900123")]
    [TestCase("gb", "07700 900123", "+447700900123")]
    [TestCase("MX", "(55) 1234-5678", "+525512345678")]
    [TestCase(null, "300 555 0199", "+573005550199")]
    [TestCase("ZZ", "300 555 0199", "+573005550199")]
    public void An_address_phone_is_dialled_in_the_country_of_its_address_else_the_shops(string? countryCode, string phone, string expected)
    {
        var address = JsonSerializer.Serialize(new { name = "Ana", phone, country_code = countryCode });
        var order = Map($$"""{"id": 1, "shipping_address": {{address}}}""", "CO");

        Assert.That(order.ShippingAddress!.Phone, Is.EqualTo(expected));
        Assert.That(TriggerVariables.CustomerPhone(order), Is.EqualTo(expected));
    }

    [Test]
    public void The_customers_sms_marketing_consent_is_read_as_shopify_publishes_it()
    {
        // shopify-api-ruby's REST order fixture: customer.sms_marketing_consent, with its state and when it last changed.
        var order = Map(ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "vendor/orders-updated.shopify-api-ruby-rest.json")));

        Assert.That(order.Customer!.SmsMarketingState, Is.EqualTo("not_subscribed"));
        Assert.That(order.Customer.SmsMarketingUpdatedAt, Is.EqualTo(new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Nul_characters_and_lone_surrogates_are_made_storable_and_the_rest_is_kept()
    {
        var order = Map(ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "broken/orders-create.nul-and-lone-surrogate.json")));
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);

        Assert.That(order.Note, Is.EqualTo("Entregar antes de las 5pm"));
        Assert.That(order.Customer!.FirstName, Is.EqualTo("Ana\uFFFD"));
        Assert.That(order.ShippingAddress!.Name, Is.EqualTo("Ana\uFFFD Norman"));
        Assert.That(() => strict.GetBytes(order.Customer.FirstName!), Throws.Nothing, "UTF-8 (and PostgreSQL) can store it");
        Assert.That(order.Customer.Phone, Is.EqualTo("+573005550199"), "the rest of the order is untouched");
    }

    [TestCase("Zoë 🌸 王芳", "Zoë 🌸 王芳")]
    [TestCase("línea 1\nlínea 2\tfin\r", "línea 1\nlínea 2\tfin\r")]
    [TestCase("a\u0000b\u0007c", "abc")]
    public void Clean_drops_control_characters_but_keeps_line_breaks_and_any_script(string text, string expected) =>
        Assert.That(ShopifyOrderMapper.Clean(text), Is.EqualTo(expected));

    [Test]
    public void Clean_replaces_lone_surrogates_and_keeps_pairs()
    {
        // Built in code: an attribute argument cannot carry a lone surrogate (metadata stores strings as UTF-8).
        var (high, low) = ("\uD83C", "\uDF38");
        Assert.That(ShopifyOrderMapper.Clean("x" + low + "y"), Is.EqualTo("x\uFFFDy"));
        Assert.That(ShopifyOrderMapper.Clean("fin" + high), Is.EqualTo("fin\uFFFD"));
        Assert.That(ShopifyOrderMapper.Clean(high + low), Is.EqualTo("🌸"));
    }

    [Test]
    public void Fields_of_the_wrong_type_or_out_of_range_become_absent_rather_than_failing()
    {
        var wrongTypes = Map(ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "broken/orders-create.wrong-types.json")));
        Assert.That(wrongTypes.Customer, Is.Null, "customer was a string");
        Assert.That(wrongTypes.LineItems, Is.Empty, "line_items was an object");
        Assert.That(wrongTypes.CreatedAt, Is.Null, "created_at was not a date");

        var huge = Map(ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "broken/orders-create.huge-id-bad-total.json")));
        Assert.That(huge.Id, Is.Null, "an id beyond 64 bits");
        Assert.That(huge.TotalPrice, Is.Null, "total_price \"abc\"");
        Assert.That(huge.Name, Is.EqualTo("#1001"), "the rest is still read");
    }

    [Test]
    public void Tags_sent_as_one_comma_separated_string_become_a_list()
    {
        var order = Map(ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, "variants/orders-create.tags-comma-string.json")));
        Assert.That(order.Tags, Is.EqualTo(new[] { "vip", "mayorista", "promo navidad" }));
    }

    static IEnumerable<ShopifyFixture> WithShipping() => Readable().Where(f => f.Expect.TryGetProperty("envio", out _));

    static Dictionary<string, string?> Variables(ShopifyOrder order) =>
        MorfX.AutomationEngine.Catalog.TemplateData.Flatten(TriggerVariables.ForShopifyOrder(order, null));

    [TestCaseSource(nameof(WithShipping))]
    public void Shipping_and_cancellation_variables_are_those_the_shop_sent(ShopifyFixture fixture)
    {
        var variables = Variables(Map(fixture));
        var shipping = fixture.Expect.GetProperty("envio");

        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "guia", "transportadora", "url_seguimiento", "estado" })
                Assert.That(variables.GetValueOrDefault("envio." + name), Is.EqualTo(shipping.GetProperty(name).GetString()), "envio." + name);
            Assert.That(variables["orden.cancelada"], Is.EqualTo(fixture.Expected("cancelada")), "orden.cancelada");
            Assert.That(variables.GetValueOrDefault("orden.motivo_cancelacion"), Is.EqualTo(fixture.Expected("motivoCancelacion")), "orden.motivo_cancelacion");
        });
    }

    // Shopify's published fulfillments (tests/fixtures/shopify/vendor/fulfillments), as an order's fulfillments[] carries them.
    [TestCase("fulfillments-create.shopify-dev.json", "1z827wk74630", "UPS",
        "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630", "pending")]
    [TestCase("fulfillment-create-tracking.shopify-api-ruby-rest.json", "1Z001985YW99744790", "UPS",
        "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z001985YW99744790", "success")]
    public void A_published_fulfillment_gives_its_tracking_number_company_url_and_state(string file, string number, string company, string url, string state)
    {
        var fulfillment = File.ReadAllText(Path.Combine(ShopifyFixture.Folder, "vendor/fulfillments", file));
        var variables = Variables(Map($$"""{"id": 1, "fulfillment_status": "fulfilled", "fulfillments": [{{fulfillment}}]}""", "US"));

        Assert.That(new[] { variables["envio.guia"], variables["envio.transportadora"], variables["envio.url_seguimiento"], variables["envio.estado"] },
            Is.EqualTo(new[] { number, company, url, state }));
    }

    [Test]
    public void The_shipment_is_the_latest_live_fulfillment_with_a_tracking_number_and_its_carrier_status_wins()
    {
        var variables = Variables(Map("""
            {"id": 1, "fulfillments": [
              {"status": "success", "shipment_status": "delivered", "tracking_numbers": ["OLD-1"], "tracking_company": "Servientrega", "updated_at": "2026-11-20T10:00:00-05:00"},
              {"status": "success", "shipment_status": "in_transit", "tracking_numbers": ["NEW-2"], "tracking_urls": ["https://t.example/NEW-2"], "tracking_company": "Coordinadora", "updated_at": "2026-11-21T10:00:00-05:00"},
              {"status": "success", "tracking_number": null, "updated_at": "2026-11-22T10:00:00-05:00"},
              {"status": "cancelled", "tracking_number": "VOID-3", "updated_at": "2026-11-23T10:00:00-05:00"}
            ]}
            """, "CO"));

        Assert.That(new[] { variables["envio.guia"], variables["envio.transportadora"], variables["envio.url_seguimiento"], variables["envio.estado"] },
            Is.EqualTo(new[] { "NEW-2", "Coordinadora", "https://t.example/NEW-2", "in_transit" }));
    }

    [Test]
    public void An_order_without_fulfillments_or_cancellation_says_no_and_offers_no_shipment()
    {
        var variables = Variables(Map("""{"id": 1, "cancelled_at": null, "cancel_reason": null, "fulfillments": []}""", "CO"));

        Assert.That(variables["orden.cancelada"], Is.EqualTo("no"));
        Assert.That(variables.GetValueOrDefault("envio.guia"), Is.Null);
        Assert.That(variables.GetValueOrDefault("orden.motivo_cancelacion"), Is.Null);
    }
}
