using System.Text.Json.Nodes;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// Shopify's mandatory compliance webhooks, with the payloads Shopify documents (PROTOCOLS.md): verified like every
/// other webhook, answered inside Shopify's 5 s, and announced to the services that hold the data.
/// </summary>
[Order(3)]
public sealed class ShopifyComplianceWebhookTests
{
    // Compliance webhooks are not subscribed through the Admin API: the app's configuration names the endpoint.
    static string Endpoint => new Uri(Ingest.BaseAddress, "/webhooks/shopify").ToString();

    static JsonObject Customer => new() { ["id"] = 207119551, ["email"] = "John@Example.com", ["phone"] = "300 555 0199" };

    [Test]
    public async Task A_customer_redaction_is_announced_with_the_customer_and_the_orders_to_erase()
    {
        var shop = await ConnectShopAsync(defaultCountry: "CO");
        var payload = new JsonObject
        {
            ["shop_id"] = 954889, ["shop_domain"] = shop.Domain, ["customer"] = Customer,
            ["orders_to_redact"] = new JsonArray(299938, 280263, 220458),
        };

        var delivery = await DeliverAsync(shop, "customers/redact", payload, targetUrl: Endpoint);

        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
        Assert.That(delivery.ElapsedMs, Is.LessThan(5000));
        var redact = await Events.WaitForAsync<ShopifyCustomerRedactRequested>(e => e.WorkspaceId == shop.WorkspaceId);
        Assert.That(redact.Customer, Is.EqualTo(new ShopifyCustomerRef(207119551, "john@example.com", "+573005550199")));
        Assert.That(redact.OrdersToRedact, Is.EqualTo(new long[] { 299938, 280263, 220458 }));
        Assert.That(redact.ShopDomain, Is.EqualTo(shop.Domain));
    }

    [Test]
    public async Task A_data_request_and_a_shop_redaction_are_announced()
    {
        var shop = await ConnectShopAsync();

        var request = await DeliverAsync(shop, "customers/data_request", targetUrl: Endpoint, payload: new JsonObject
        {
            ["shop_id"] = 954889, ["shop_domain"] = shop.Domain, ["orders_requested"] = new JsonArray(299938),
            ["customer"] = Customer, ["data_request"] = new JsonObject { ["id"] = 9999 },
        });
        var redact = await DeliverAsync(shop, "shop/redact", new JsonObject { ["shop_id"] = 954889, ["shop_domain"] = shop.Domain }, targetUrl: Endpoint);

        Assert.That((request.Status, redact.Status), Is.EqualTo((200, 200)));
        var asked = await Events.WaitForAsync<ShopifyCustomerDataRequested>(e => e.WorkspaceId == shop.WorkspaceId);
        Assert.That((asked.ShopifyRequestId, asked.OrdersRequested.Single(), asked.Customer.Id), Is.EqualTo((9999L, 299938L, 207119551L)));
        await Events.WaitForAsync<ShopifyShopRedactRequested>(e => e.WorkspaceId == shop.WorkspaceId && e.ShopDomain == shop.Domain);
    }

    [TestCase("customers/redact"), TestCase("customers/data_request"), TestCase("shop/redact")]
    public async Task A_compliance_webhook_with_a_bad_signature_is_refused_with_401(string topic)
    {
        var shop = await ConnectShopAsync();

        var delivery = await DeliverAsync(shop, topic, new JsonObject { ["shop_domain"] = shop.Domain }, secret: "not-the-secret", targetUrl: Endpoint);

        Assert.That(delivery.Status, Is.EqualTo(401));
        Assert.That(delivery.ResponseBody, Does.Contain("invalid_signature"));
    }

    [Test]
    public async Task A_repeated_compliance_delivery_is_announced_once()
    {
        var shop = await ConnectShopAsync();
        var payload = new JsonObject { ["shop_id"] = 1, ["shop_domain"] = shop.Domain, ["customer"] = Customer, ["orders_to_redact"] = new JsonArray() };

        var webhookId = Guid.NewGuid().ToString();
        Assert.That((await DeliverAsync(shop, "customers/redact", payload, webhookId: webhookId, targetUrl: Endpoint)).Status, Is.EqualTo(200));
        Assert.That((await DeliverAsync(shop, "customers/redact", payload, webhookId: webhookId, targetUrl: Endpoint)).Status, Is.EqualTo(200));

        await Events.WaitForAsync<ShopifyCustomerRedactRequested>(e => e.WorkspaceId == shop.WorkspaceId);
        await Task.Delay(500);
        Assert.That(Events.All<ShopifyCustomerRedactRequested>(e => e.WorkspaceId == shop.WorkspaceId), Has.Count.EqualTo(1));
    }
}
