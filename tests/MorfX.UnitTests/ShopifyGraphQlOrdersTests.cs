using System.Text.Json;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;
using MorfX.ShopifyOrders;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// Reconciliation reads orders from the Admin GraphQL API; they must become the same trigger variables a webhook's REST
/// payload makes. Shopify's published GraphQL examples (tests/fixtures/shopify/vendor/graphql, each naming its source) go
/// through ShopifyGraphQlOrders and the webhook's own ShopifyOrderMapper; the values asserted are read by hand from them,
/// in the REST webhook's terms (ShopifyOrderMapperTests checks the REST examples for the same fields).
/// </summary>
public class ShopifyGraphQlOrdersTests
{
    static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");

    static JsonElement Published(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ShopifyFixture.Folder, "vendor/graphql", file)));
        return document.RootElement.Clone();
    }

    static ShopifyOrder Map(JsonElement node, bool isDraft, string shopCountry = "US", TimeZoneInfo? zone = null)
    {
        var rest = ShopifyGraphQlOrders.ToRestShape(node, isDraft, zone ?? TimeZoneInfo.Utc).ToJsonString();
        using var document = JsonDocument.Parse(rest);
        return ShopifyOrderMapper.Map(document.RootElement, isDraft, "mi-tienda.myshopify.com", shopCountry, rest);
    }

    [Test]
    public void A_published_draft_order_gives_the_values_its_webhook_would()
    {
        var order = Map(Published("draft-order.shopify-dev.json").GetProperty("draftOrder"), isDraft: true, zone: Bogota);
        var variables = MorfX.AutomationEngine.Catalog.TemplateData.Flatten(TriggerVariables.ForShopifyOrder(order, null));

        Assert.Multiple(() =>
        {
            Assert.That(order.Id, Is.EqualTo(221448317), "the numeric id, from the gid");
            Assert.That(variables["orden.numero"], Is.EqualTo("#D7"));
            Assert.That(order.DraftStatus, Is.EqualTo("open"), "REST's lower-case status");
            Assert.That(order.InvoiceUrl, Is.EqualTo("https://www.snowdevil.ca/26371970/invoices/ba8dcf6c022ccad3d47e3909e378e22f"));
            Assert.That(order.Currency, Is.EqualTo("USD"));
            Assert.That(order.Tags, Is.EqualTo(new[] { "High priority", "Wholesale" }), "a list, as REST's comma-separated string becomes");
            Assert.That(variables["cliente.nombre_completo"], Is.EqualTo("Bob Bobsen"));
            Assert.That(order.Customer!.Email, Is.EqualTo("bob@example.com"), "the older customer.email, when defaultEmailAddress is not selected");
            Assert.That(order.Customer.Phone, Is.EqualTo("+13125551212"));
            Assert.That(order.ShippingAddress!.Phone, Is.EqualTo("+16135551212"), "dialled in the address's country (countryCodeV2 CA)");
            Assert.That(order.ShippingAddress.CountryCode, Is.EqualTo("CA"));
            Assert.That(order.ShippingAddress.City, Is.EqualTo("Ottawa"));
            Assert.That(order.LineItems.Select(i => (i.Sku, i.Quantity)), Is.EqualTo(new[] { ("unpublished_boots-12", 5), ("crappy_shoes_green", 2), ("fingerless_wool_gloves", 2) }));
            Assert.That(order.LineItems[0].Title, Is.EqualTo("Unpublished Boots - Default"), "a draft line item's name");
            Assert.That(order.CreatedAt, Is.EqualTo(new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero)), "UTC");
            Assert.That(order.UpdatedAt, Is.EqualTo(new DateTimeOffset(2021, 12, 1, 12, 43, 0, TimeSpan.Zero)));
            Assert.That(variables["orden.fecha"], Is.EqualTo("2016-12-31T19:00:00-05:00"), "created_at as the shop (Bogotá) writes it");
        });
    }

    [Test]
    public void A_published_order_gives_money_with_its_currency_statuses_and_products_as_rest_does()
    {
        var node = Published("orders.shopify-dev.json").GetProperty("orders").GetProperty("edges")[0].GetProperty("node");
        var order = Map(node, isDraft: false);
        var variables = MorfX.AutomationEngine.Catalog.TemplateData.Flatten(TriggerVariables.ForShopifyOrder(order, null));

        Assert.Multiple(() =>
        {
            Assert.That(order.Id, Is.EqualTo(158040885));
            Assert.That(variables["orden.numero"], Is.EqualTo("#2000"));
            Assert.That(order.TotalPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("2000.00"),
                "GraphQL's \"2000.0\" reads as REST's \"2000.00\"");
            Assert.That(order.Currency, Is.EqualTo("CAD"), "the shop money's currency");
            Assert.That(order.FinancialStatus, Is.EqualTo("paid"), "PAID -> REST's paid");
            Assert.That(order.FulfillmentStatus, Is.Null, "UNFULFILLED -> REST's null: nothing shipped");
            Assert.That(order.Email, Is.EqualTo("bob@example.com"));
            Assert.That(order.LineItems.Select(i => $"{i.Title} x {i.Quantity}"), Is.EqualTo(new[] { "Draft - 151cm x 10" }));
            Assert.That(order.LineItems[0].VariantTitle, Is.EqualTo("151cm"));
            Assert.That(order.CreatedAtAsSent, Is.EqualTo("2024-01-01T00:00:00+00:00"), "a UTC shop writes +00:00");
        });
    }

    [Test]
    public void A_published_guest_order_has_no_customer_and_a_named_customer_keeps_its_names()
    {
        var published = Published("order.shopify-dev.json");

        var named = Map(published.GetProperty("order1"), isDraft: false);
        var guest = Map(published.GetProperty("order2"), isDraft: false);

        Assert.That(TriggerVariables.CustomerName(named), Is.EqualTo("Bob Bobsen"));
        Assert.That(named.TotalPrice, Is.EqualTo(11.50m));
        Assert.That(guest.Customer, Is.Null);
        Assert.That(guest.Id, Is.EqualTo(1073459961));
    }

    [TestCase("FULFILLED", "fulfilled")]
    [TestCase("PARTIALLY_FULFILLED", "partial")]
    [TestCase("RESTOCKED", "restocked")]
    [TestCase("UNFULFILLED", null)]
    [TestCase("IN_PROGRESS", null)]
    [TestCase("FULFILLMENT_NOT_REQUIRED", null)]
    public void The_display_fulfillment_status_becomes_rests(string display, string? rest)
    {
        using var node = JsonDocument.Parse($$"""{"id":"gid://shopify/Order/1","displayFulfillmentStatus":"{{display}}","cancelReason":"CUSTOMER","number":1001}""");
        var order = Map(node.RootElement, isDraft: false);

        Assert.That(order.FulfillmentStatus, Is.EqualTo(rest));
        Assert.That(order.CancelReason, Is.EqualTo("customer"));
        Assert.That(order.OrderNumber, Is.EqualTo(1001), "Order.number is REST's order_number");
    }

    [Test]
    public void Fulfillments_and_cancellation_read_through_graphql_give_the_webhooks_variables()
    {
        // Field names as the Admin GraphQL API's Order.fulfillments, Fulfillment.trackingInfo and Order.cancelReason write them.
        using var node = JsonDocument.Parse("""
            {"id": "gid://shopify/Order/450789469", "cancelledAt": "2026-11-23T14:00:00Z", "cancelReason": "INVENTORY",
             "fulfillments": [
               {"createdAt": "2026-11-21T15:00:00Z", "updatedAt": "2026-11-22T09:00:00Z", "status": "SUCCESS", "displayStatus": "IN_TRANSIT",
                "trackingInfo": [{"number": "1Z001985YW99744790", "company": "UPS", "url": "https://www.ups.com/WebTracking?trackNums=1Z001985YW99744790"}]},
               {"createdAt": "2026-11-23T13:00:00Z", "updatedAt": "2026-11-23T13:00:00Z", "status": "CANCELLED", "displayStatus": "CANCELED",
                "trackingInfo": [{"number": "VOID-1", "company": "UPS", "url": null}]}
             ]}
            """);
        var order = Map(node.RootElement, isDraft: false);
        var variables = MorfX.AutomationEngine.Catalog.TemplateData.Flatten(TriggerVariables.ForShopifyOrder(order, null));

        Assert.That(order.Fulfillments.Select(f => (f.Status, f.ShipmentStatus)), Is.EqualTo(new[] { ("success", (string?)"in_transit"), ("cancelled", null) }));
        Assert.Multiple(() =>
        {
            Assert.That(variables["envio.guia"], Is.EqualTo("1Z001985YW99744790"));
            Assert.That(variables["envio.transportadora"], Is.EqualTo("UPS"));
            Assert.That(variables["envio.url_seguimiento"], Is.EqualTo("https://www.ups.com/WebTracking?trackNums=1Z001985YW99744790"));
            Assert.That(variables["envio.estado"], Is.EqualTo("in_transit"));
            Assert.That(variables["orden.cancelada"], Is.EqualTo("si"));
            Assert.That(variables["orden.motivo_cancelacion"], Is.EqualTo("inventory"));
        });
    }

    [TestCase("FULFILLED", "success")]
    [TestCase("MARKED_AS_FULFILLED", "success")]
    [TestCase("DELIVERED", "delivered")]
    [TestCase("OUT_FOR_DELIVERY", "out_for_delivery")]
    public void A_display_status_that_is_not_the_carriers_leaves_the_fulfillments_own_status(string display, string shipment)
    {
        using var node = JsonDocument.Parse($$"""{"id": "gid://shopify/Order/1", "fulfillments": [{"status": "SUCCESS", "displayStatus": "{{display}}", "trackingInfo": []}]}""");
        var variables = MorfX.AutomationEngine.Catalog.TemplateData.Flatten(TriggerVariables.ForShopifyOrder(Map(node.RootElement, isDraft: false), null));

        Assert.That(variables["envio.estado"], Is.EqualTo(shipment));
        Assert.That(variables.GetValueOrDefault("envio.guia"), Is.Null);
    }
}
