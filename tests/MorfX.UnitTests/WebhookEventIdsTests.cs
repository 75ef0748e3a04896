using MorfX.ShopifyOrders;
using MorfX.WebhookIngest.Shopify;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>A webhook's trigger EventId: the same for every delivery of one merchant action, so automations run once.</summary>
public sealed class WebhookEventIdsTests
{
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, "shopify:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    const string ExpectedUuid5 = "9256e17b-17ed-5069-8065-8be47806d588";

    [Test]
    public void Event_id_is_a_name_based_uuid_that_is_the_same_for_a_redelivery()
    {
        var id = WebhookEventIds.ForShopify("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
        Assert.That(WebhookEventIds.ForShopify("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"), Is.EqualTo(id));
        Assert.That(WebhookEventIds.ForShopify("another-delivery"), Is.Not.EqualTo(id));
        Assert.That(id.Version, Is.EqualTo(5));
        Assert.That(id, Is.EqualTo(Guid.Parse(ExpectedUuid5)));
    }

    [Test]
    public void A_creation_is_one_event_whatever_delivered_it_and_an_update_is_one_per_shopify_event()
    {
        const string shop = "mi-tienda.myshopify.com";
        Assert.That(WebhookEventIds.ForShopify(shop, "orders/create", 42, "ev-1", "wh-1"),
            Is.EqualTo(WebhookEventIds.ForShopify(shop, "orders/create", 42, "ev-2", "wh-2")), "a replay under a new webhook id");
        Assert.That(WebhookEventIds.ForShopify(shop, "orders/updated", 42, "ev-1", "wh-1"),
            Is.Not.EqualTo(WebhookEventIds.ForShopify(shop, "orders/updated", 42, "ev-2", "wh-2")), "two edits of one order");
        Assert.That(WebhookEventIds.ForShopify(shop, "orders/create", 42, null, "wh-1"),
            Is.Not.EqualTo(WebhookEventIds.ForShopify("otra.myshopify.com", "orders/create", 42, null, "wh-1")), "another shop's order 42");
    }
}
