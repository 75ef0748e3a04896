using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ShopifyEmulator;
using MorfX.ShopifyOrders;
using MorfX.Testing;
using MorfX.WebhookIngest.Shopify;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

[Order(1)]
public sealed class ShopifyWebhookTests
{
    [Test]
    public async Task Signed_order_delivery_yields_one_event_with_every_normalized_field()
    {
        var shop = await ConnectShopAsync(defaultCountry: "US");
        var webhookId = Guid.NewGuid().ToString();

        var delivery = await DeliverAsync(shop, "orders/create", webhookId: webhookId);

        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
        Assert.That(delivery.ElapsedMs, Is.LessThan(5000), "answered inside Shopify's 5 s");
        var created = await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);
        var order = created.Order;
        Assert.Multiple(() =>
        {
            Assert.That(created.EventId, Is.EqualTo(WebhookEventIds.ForShopify(shop.Domain, "orders/create", 5734120816721, null, webhookId)),
                "EventId derived from the created order");
            Assert.That(order.ShopDomain, Is.EqualTo(shop.Domain));
            Assert.That(order.Id, Is.EqualTo(5734120816721));
            Assert.That(order.Name, Is.EqualTo("#1001"));
            Assert.That(order.OrderNumber, Is.EqualTo(1001));
            Assert.That(order.Email, Is.EqualTo("jose.pena@example.com"));
            Assert.That(order.Phone, Is.EqualTo("+15024592181"), "+1(502)-459-2181 in E.164");
            Assert.That(order.TotalPrice, Is.EqualTo(149.90m));
            Assert.That(order.Currency, Is.EqualTo("USD"));
            Assert.That(order.FinancialStatus, Is.EqualTo("paid"));
            Assert.That(order.FulfillmentStatus, Is.Null, "unfulfilled orders carry null");
            Assert.That(order.Customer! with { DefaultAddress = null },
                Is.EqualTo(new ShopifyCustomer(7019283746521, "jose.pena@example.com", "José", "Peña", "+15556251199")), "no address: the shop's country (US)");
            Assert.That(order.Customer!.DefaultAddress?.Phone, Is.EqualTo("+15556251199"), "an address without country_code: the shop's country");
            Assert.That(order.LineItems, Is.EqualTo(new[]
            {
                new ShopifyLineItem(14561237896321, "CAM-ORG-M-AZ", "Camiseta de algodón orgánico", "M / Azul", 2, 44.95m),
                new ShopifyLineItem(14561237929089, null, "Empaque de regalo con tarjeta ✨", null, 1, 50.00m),
            }));
            Assert.That(order.ShippingAddress, Is.EqualTo(new ShopifyAddress(
                "José Peña", "Calle 93 #11-26", "Apto 502", "Bogotá", "Bogotá D.C.", "110221", "Colombia", "+575556251199")
            { CountryCode = "CO" }),
                "a local phone of a Colombian address is dialled in Colombia, whatever the shop's default");
            Assert.That(order.Tags, Is.EqualTo(new[] { "vip", "mayorista", "primera-compra" }));
            Assert.That(order.Note, Is.EqualTo("Entregar después de las 3 p. m. — portería del edificio"));
            // The sample as an order placed now: its own times, on the day the emulator gives its samples (ShopifySamples.Named).
            var day = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(order.CreatedAt, Is.EqualTo(DateTimeOffset.Parse($"{day}T10:15:32-05:00")));
            Assert.That(order.CreatedAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero), "UTC from the shop's -05:00");
            Assert.That(order.CreatedAtAsSent, Is.EqualTo($"{day}T10:15:32-05:00"), "as the shop wrote it, for people");
            Assert.That(order.UpdatedAt, Is.EqualTo(DateTimeOffset.Parse($"{day}T10:15:34-05:00")));
            Assert.That(order.UpdatedAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(order.DraftStatus, Is.Null);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(order.RawJson), JsonNode.Parse(ShopifySamples.Named(ShopifySamples.Order)!)),
                "the raw JSON is kept whole");
        });

        var delivered = await Events.WaitForAsync<ShopifyWebhookDelivered>(d => d.WorkspaceId == shop.WorkspaceId);
        Assert.That((delivered.ShopDomain, delivered.Topic), Is.EqualTo((shop.Domain, "orders/create")));
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 1);
    }

    [Test]
    public async Task Updated_order_with_null_customer_and_blank_fields_is_published_with_those_fields_empty()
    {
        var shop = await ConnectShopAsync(defaultCountry: "CO");

        var delivery = await DeliverAsync(shop, "orders/updated");

        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
        var updated = await Events.WaitForAsync<ShopifyOrderUpdated>(e => e.WorkspaceId == shop.WorkspaceId);
        var order = updated.Order;
        Assert.Multiple(() =>
        {
            Assert.That(order.Name, Is.EqualTo("#1002"));
            Assert.That(order.Customer, Is.Null);
            Assert.That(order.Phone, Is.Null);
            Assert.That(order.Email, Is.Null, "Shopify's empty string means no email");
            Assert.That(order.ShippingAddress, Is.Null);
            Assert.That(order.Tags, Is.Empty);
            Assert.That(order.Note, Is.Null);
            Assert.That(order.TotalPrice, Is.EqualTo(249900.50m));
            Assert.That(order.Currency, Is.EqualTo("COP"));
            Assert.That(order.FinancialStatus, Is.EqualTo("partially_refunded"));
            Assert.That(order.FulfillmentStatus, Is.EqualTo("fulfilled"));
            Assert.That(order.LineItems.Single().Price, Is.EqualTo(124950.25m));
        });
    }

    [Test]
    public async Task Draft_order_keeps_status_invoice_url_and_custom_line_item_without_sku()
    {
        var shop = await ConnectShopAsync(defaultCountry: "MX");

        var delivery = await DeliverAsync(shop, "draft_orders/create");

        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
        var draft = await Events.WaitForAsync<ShopifyDraftOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);
        var order = draft.Order;
        Assert.Multiple(() =>
        {
            Assert.That(order.Name, Is.EqualTo("#D3"));
            Assert.That(order.DraftStatus, Is.EqualTo("invoice_sent"));
            Assert.That(order.InvoiceUrl, Is.EqualTo("https://tienda-morfx.myshopify.com/74839201/invoices/7f3a9c2e1b4d5e6f"));
            Assert.That(order.CompletedOrderId, Is.Null);
            Assert.That(order.OrderNumber, Is.Null);
            Assert.That(order.FinancialStatus, Is.Null);
            Assert.That(order.TotalPrice, Is.EqualTo(2030.00m));
            Assert.That(order.Customer?.FirstName, Is.EqualTo("Zoë"));
            Assert.That(order.Customer?.LastName, Is.EqualTo("Núñez Ibáñez"));
            Assert.That(order.Customer?.Phone, Is.EqualTo("+525512345678"), "55 1234 5678 with the shop's country, Mexico");
            Assert.That(order.ShippingAddress?.Phone, Is.EqualTo("+525512345678"));
            Assert.That(order.LineItems.Select(l => (l.Sku, l.Quantity, l.Price)),
                Is.EqualTo(new (string?, int, decimal?)[] { ("TAZ-TAL-01", 10, 150.00m), (null, 1, 250.00m) }));
            Assert.That(order.Tags, Is.EqualTo(new[] { "cotización", "B2B", "Ñandú" }));
        });
    }

    [Test]
    public async Task Replayed_webhook_id_is_answered_200_and_not_published_again()
    {
        var shop = await ConnectShopAsync();
        var webhookId = Guid.NewGuid().ToString();
        Assert.That((await DeliverAsync(shop, "orders/create", webhookId: webhookId)).Status, Is.EqualTo(200));
        await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);

        var replay = await DeliverAsync(shop, "orders/create", webhookId: webhookId);

        Assert.That(replay.Status, Is.EqualTo(200), replay.ResponseBody);
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 1);
    }

    [Test]
    public async Task Concurrent_duplicates_publish_one_event()
    {
        var shop = await ConnectShopAsync();
        var webhookId = Guid.NewGuid().ToString();

        var deliveries = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DeliverAsync(shop, "orders/create", webhookId: webhookId)));

        Assert.That(deliveries.Select(d => d.Status), Is.All.EqualTo(200));
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 1);
    }

    [Test]
    public async Task Previous_secret_is_accepted_during_a_rotation()
    {
        var oldSecret = RandomHex();
        var shop = await ConnectShopAsync(previousSecret: oldSecret);

        var signedWithOld = await DeliverAsync(shop, "orders/create", secret: oldSecret);
        var signedWithOther = await DeliverAsync(shop, "orders/create", secret: RandomHex());

        Assert.That(signedWithOld.Status, Is.EqualTo(200), signedWithOld.ResponseBody);
        Assert.That(signedWithOther.Status, Is.EqualTo(401), signedWithOther.ResponseBody);
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 1);
    }

    [Test]
    public async Task Rotated_secret_is_accepted_once_config_api_announces_the_change_without_waiting_for_the_cache()
    {
        var shop = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200), "the shop is now cached by ingest");
        var rotated = shop with { Secret = RandomHex() };
        using var config = ConfigService.CreateClient(Tokens.For(shop.WorkspaceId));
        using var saved = await config.PutAsJsonAsync("/api/integrations/shopify",
            new { shopDomain = shop.Domain, clientSecret = rotated.Secret, previousClientSecret = shop.Secret });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        // The look-up cache lives 60 s; IntegrationChanged must drop it well before that.
        var withNewSecret = await Eventually.Get(() => DeliverAsync(rotated, "orders/create"), d => d.Status == 200,
            TimeSpan.FromSeconds(15), "the new secret accepted");
        var withOldSecret = await DeliverAsync(shop, "orders/create");

        Assert.That(withNewSecret.Status, Is.EqualTo(200));
        Assert.That(withOldSecret.Status, Is.EqualTo(200), "the previous secret still signs during the rotation");
    }

    [Test]
    public async Task Headers_without_the_X_prefix_are_accepted()
    {
        var shop = await ConnectShopAsync();

        var delivery = await DeliverAsync(shop, "orders/create", headerStyle: "events");

        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
        await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);
    }

    [Test]
    public async Task Forged_signature_is_refused_with_401_and_nothing_is_published()
    {
        var shop = await ConnectShopAsync();
        var body = Encoding.UTF8.GetBytes(ShopifySamples.Named(ShopifySamples.Order)!);

        using var forged = await PostAsync(shop.Domain, "orders/create", body, WebhookSignatures.ShopifyHmac(body, "not-the-secret"));
        using var missing = await PostAsync(shop.Domain, "orders/create", body, hmac: null);

        await AssertProblemAsync(forged, HttpStatusCode.Unauthorized, "invalid_signature");
        await AssertProblemAsync(missing, HttpStatusCode.Unauthorized, "invalid_signature");
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 0);
    }

    [Test]
    public async Task Truncated_body_is_refused_400_when_signed_and_401_when_the_signature_is_of_the_whole_body()
    {
        var shop = await ConnectShopAsync();
        var whole = ShopifySamples.Named(ShopifySamples.Order)!;
        var truncated = whole[..(whole.Length / 2)];

        var signedTruncated = await DeliverAsync(shop, "orders/create", rawBody: truncated);
        using var cutInTransit = await PostAsync(shop.Domain, "orders/create", Encoding.UTF8.GetBytes(truncated),
            WebhookSignatures.ShopifyHmac(Encoding.UTF8.GetBytes(whole), shop.Secret));

        Assert.That(signedTruncated.Status, Is.EqualTo(400));
        Assert.That(JsonNode.Parse(signedTruncated.ResponseBody!)!["code"]!.GetValue<string>(), Is.EqualTo("invalid_payload"));
        await AssertProblemAsync(cutInTransit, HttpStatusCode.Unauthorized, "invalid_signature");
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 0);
    }

    [TestCase("esto no es JSON")]
    [TestCase("[{\"id\": 1}]")]
    [TestCase("\"#1001\"")]
    [TestCase("")]
    public async Task Signed_body_that_is_not_a_JSON_object_is_refused_with_400(string body)
    {
        var shop = await ConnectShopAsync();

        var delivery = await DeliverAsync(shop, "orders/create", rawBody: body);

        Assert.That(delivery.Status, Is.EqualTo(400), delivery.ResponseBody);
        var problem = JsonNode.Parse(delivery.ResponseBody!)!;
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("invalid_payload"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.StartWith("El cuerpo del webhook"));
    }

    [Test]
    public async Task Unsupported_topic_is_refused_with_400()
    {
        var shop = await ConnectShopAsync();
        var body = Encoding.UTF8.GetBytes("{\"id\": 1}");

        using var response = await PostAsync(shop.Domain, "products/create", body, WebhookSignatures.ShopifyHmac(body, shop.Secret));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unsupported_topic");
    }

    [Test]
    public async Task Body_over_the_size_limit_is_refused_with_413()
    {
        var shop = await ConnectShopAsync();
        var order = ShopifySamples.Parse(ShopifySamples.Order);
        order["note"] = new string('x', 1024 * 1024 + 1);
        var body = Encoding.UTF8.GetBytes(order.ToJsonString());

        using var response = await PostAsync(shop.Domain, "orders/create", body, WebhookSignatures.ShopifyHmac(body, shop.Secret));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await AssertOnlyEventsAsync(shop, expectedOrderCreated: 0);
    }

    /// <summary>Posts straight to webhook-ingest with Shopify's headers, for deliveries the emulator would not make.</summary>
    internal static async Task<HttpResponseMessage> PostAsync(string? shopDomain, string topic, byte[] body, string? hmac)
    {
        using var client = Ingest.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        if (shopDomain is not null) request.Headers.Add("X-Shopify-Shop-Domain", shopDomain);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-API-Version", "2025-07");
        if (hmac is not null) request.Headers.Add("X-Shopify-Hmac-Sha256", hmac);
        return await client.SendAsync(request);
    }

    static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    /// <summary>
    /// Delivers a marker order for the shop and waits for it: with the broker up, ingest publishes (confirmed) before it answers 200, so
    /// anything it published before the marker is already queued ahead of it, and the counts below are final.
    /// </summary>
    static async Task AssertOnlyEventsAsync(TestShop shop, int expectedOrderCreated)
    {
        var marker = ShopifySamples.Parse(ShopifySamples.Order);
        marker["id"] = 1;
        var delivery = await DeliverAsync(shop, "orders/create", payload: marker);
        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
        await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId && e.Order.Id == 1, because: "the marker order");

        var published = Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId && e.Order.Id != 1);
        Assert.That(published, Has.Count.EqualTo(expectedOrderCreated));
    }
}
