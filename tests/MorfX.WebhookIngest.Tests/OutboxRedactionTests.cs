using System.Text.Json.Nodes;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// Ingest's outbox keeps each accepted order whole (sent rows for a day): customers/redact and shop/redact erase what it
/// holds of the customer, or of the shop, and nothing of anyone else.
/// </summary>
public sealed class OutboxRedactionTests
{
    static string Endpoint => new Uri(Ingest.BaseAddress, "/webhooks/shopify").ToString();

    // The emulator's sample order: José Peña, order 5734120816721, customer 7019283746521.
    const string JoseEmail = "jose.pena@example.com";
    static readonly string[] JoseData = [JoseEmail, "+15024592181", "+15556251199", "5734120816721", "Peña"];

    [Test]
    public async Task A_customer_redaction_erases_the_customers_orders_from_the_outbox_and_keeps_the_other_customers()
    {
        var shop = await ConnectShopAsync(defaultCountry: "US");
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200));
        Assert.That((await DeliverAsync(shop, "orders/create", OtherCustomersOrder())).Status, Is.EqualTo(200));
        await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId && e.Order.Id == 820982911946154508);
        Assert.That(await RowsNamingAsync(shop, JoseData), Is.GreaterThan(0), "before: the order is kept whole");

        var redact = await DeliverAsync(shop, "customers/redact", targetUrl: Endpoint, payload: new JsonObject
        {
            ["shop_id"] = 954889, ["shop_domain"] = shop.Domain, ["orders_to_redact"] = new JsonArray(5734120816721),
            ["customer"] = new JsonObject { ["id"] = 7019283746521, ["email"] = "Jose.Pena@Example.com", ["phone"] = "+1 555 625 1199" },
        });

        Assert.That(redact.Status, Is.EqualTo(200), redact.ResponseBody);
        await Eventually.Get(() => RowsNamingAsync(shop, JoseData), n => n == 0, because: "the redacted customer's rows, sent or not");
        Assert.That(await RowsNamingAsync(shop, "otra.clienta@example.com"), Is.EqualTo(1), "another customer's order stays");
    }

    [Test]
    public async Task A_shop_redaction_erases_every_row_of_the_shop_from_the_outbox()
    {
        var shop = await ConnectShopAsync();
        var neighbour = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200));
        Assert.That((await DeliverAsync(shop, "orders/create", OtherCustomersOrder())).Status, Is.EqualTo(200));
        Assert.That((await DeliverAsync(neighbour, "orders/create")).Status, Is.EqualTo(200));
        await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == neighbour.WorkspaceId);

        var redact = await DeliverAsync(shop, "shop/redact", new JsonObject { ["shop_id"] = 954889, ["shop_domain"] = shop.Domain }, targetUrl: Endpoint);

        Assert.That(redact.Status, Is.EqualTo(200), redact.ResponseBody);
        await Eventually.Get(() => RowsNamingAsync(shop, shop.WorkspaceId.ToString()), n => n == 0, because: "every row of the shop");
        Assert.That(await RowsNamingAsync(neighbour, JoseData), Is.GreaterThan(0), "another shop's rows stay");
    }

    [Test]
    public async Task A_shop_redaction_after_the_shop_was_removed_in_MorfX_is_verified_with_the_kept_secret_and_an_order_is_not()
    {
        var shop = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200));
        await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);
        using (var config = ConfigService.CreateClient(Tokens.For(shop.WorkspaceId)))
            Assert.That((int)(await config.DeleteAsync("/api/integrations/shopify")).StatusCode, Is.EqualTo(204));

        // Once ingest knows of the removal, an order signed with the shop's secret is refused, as for any unknown shop.
        var order = await Eventually.Get(() => DeliverAsync(shop, "orders/create", targetUrl: Endpoint), d => d.Status != 200,
            because: "the removal reaches ingest's look-up");
        Assert.That(order.Status, Is.EqualTo(401));
        Assert.That(order.ResponseBody, Does.Contain("invalid_signature"));

        // Shopify's shop/redact, 48 h after the store uninstalls the app, is still verified and erases the shop.
        var redact = await DeliverAsync(shop, "shop/redact", new JsonObject { ["shop_id"] = 954889, ["shop_domain"] = shop.Domain }, targetUrl: Endpoint);

        Assert.That(redact.Status, Is.EqualTo(200), redact.ResponseBody);
        await Events.WaitForAsync<ShopifyShopRedactRequested>(e => e.WorkspaceId == shop.WorkspaceId && e.ShopDomain == shop.Domain);
        await Eventually.Get(() => RowsNamingAsync(shop, shop.WorkspaceId.ToString()), n => n == 0, because: "every row of the shop");
        var again = await DeliverAsync(shop, "orders/updated", targetUrl: Endpoint);
        Assert.That(again.Status, Is.EqualTo(401), "an order topic is still refused after the shop/redact");
    }

    static JsonObject OtherCustomersOrder()
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        return new JsonObject
        {
            ["id"] = 820982911946154508, ["name"] = "#1002", ["email"] = "otra.clienta@example.com", ["created_at"] = now, ["updated_at"] = now,
            ["customer"] = new JsonObject { ["id"] = 115310627314723954, ["email"] = "otra.clienta@example.com", ["first_name"] = "Otra" },
        };
    }

    /// <summary>The shop's outbox rows whose text contains any of <paramref name="data"/>, without case (as an auditor would search).</summary>
    static async Task<long> RowsNamingAsync(TestShop shop, params string[] data)
    {
        await using var db = new NpgsqlConnection(TestInfrastructure.DatabaseConnectionString(ResourceNames.IngestDb));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM outbox_messages WHERE body::text LIKE '%' || @ws || '%' AND lower(body::text) LIKE ANY (@data)", db);
        command.Parameters.AddWithValue("ws", shop.WorkspaceId.ToString());
        command.Parameters.AddWithValue("data", data.Select(d => "%" + d.ToLowerInvariant() + "%").ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
