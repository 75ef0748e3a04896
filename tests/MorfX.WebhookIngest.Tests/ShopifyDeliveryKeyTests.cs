using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using MorfX.WebhookIngest.Data;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What makes two deliveries one merchant action (docs/protocols.md): X-Shopify-Webhook-Id is the delivery, X-Shopify-Event-Id
/// and the topic are the action, and an orders/create is its order. Every delivery of one action carries the same
/// EventId, which the engine runs once; ingest's outbox holds one message per EventId, so it is also published once.
/// </summary>
[Order(2)]
public sealed class ShopifyDeliveryKeyTests
{
    [Test]
    public async Task A_replayed_order_creation_under_a_new_webhook_id_carries_the_same_event_id()
    {
        var shop = await ConnectShopAsync();
        var order = Order(90_001);

        var first = await DeliverAsync(shop, "orders/create", payload: order);
        // A replay, or the second subscription during a secret rotation: new webhook id and event id, same order.
        var replay = await DeliverAsync(shop, "orders/create", payload: order);

        Assert.That((first.Status, replay.Status), Is.EqualTo((200, 200)));
        Assert.That(first.WebhookId, Is.Not.EqualTo(replay.WebhookId));
        var recorded = await EventIdsOfAsync(first.WebhookId, replay.WebhookId);
        Assert.That(recorded.Distinct().Count(), Is.EqualTo(1), "both deliveries recorded as the same event");
        var events = await WaitForCreatedAsync(shop, 90_001, count: 1);
        Assert.That(events.Single().EventId, Is.EqualTo(recorded[0]));
        await WaitSentAsync(recorded[0]);
        Assert.That(Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId && e.Order.Id == 90_001), Has.Count.EqualTo(1),
            "published once: its outbox row is sent, and the replay wrote none");
    }

    [Test]
    public async Task Updates_share_an_event_id_only_when_shopify_says_they_are_one_action()
    {
        var shop = await ConnectShopAsync();
        var order = Order(90_002);

        Assert.That((await Deliver(shop, "orders/updated", order, webhookId: "w-1", eventId: "e-1")).Status, Is.EqualTo(200));
        Assert.That((await Deliver(shop, "orders/updated", order, webhookId: "w-2", eventId: "e-1")).Status, Is.EqualTo(200));
        Assert.That((await Deliver(shop, "orders/updated", order, webhookId: "w-3", eventId: "e-2")).Status, Is.EqualTo(200));

        var recorded = await EventIdsOfAsync($"{shop.Domain}-w-1", $"{shop.Domain}-w-2", $"{shop.Domain}-w-3");
        Assert.That(recorded.Distinct().Count(), Is.EqualTo(2), "e-1 twice is one event; e-2 is another");
        var updates = await Eventually.Get(() => Task.FromResult(Events.All<ShopifyOrderUpdated>(e => e.WorkspaceId == shop.WorkspaceId)),
            u => u.Count >= 2, TimeSpan.FromSeconds(20), "two updates published");
        Assert.That(updates.Select(u => u.EventId).Order(), Is.EqualTo(recorded.Distinct().Order()), "each event published once");
    }

    [TestCase("-05:00"), TestCase("-06:00"), TestCase("+05:30"), TestCase("+00:00"), TestCase("Z")]
    public async Task Timestamps_in_any_offset_become_utc_and_keep_the_shops_text(string offset)
    {
        var shop = await ConnectShopAsync();
        var order = Order(90_100);
        // Days ahead: MorfX starts nothing for an order from before the shop was connected.
        var day = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        order["created_at"] = $"{day}T18:42:09{offset}";
        order["updated_at"] = $"{day}T18:43:09{offset}";

        Assert.That((await DeliverAsync(shop, "orders/create", payload: order)).Status, Is.EqualTo(200));

        var created = (await WaitForCreatedAsync(shop, order["id"]!.GetValue<long>(), count: 1)).Single();
        var expected = DateTimeOffset.Parse($"{day}T18:42:09{offset}", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(created.Order.CreatedAt!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(created.Order.CreatedAt, Is.EqualTo(expected));
            Assert.That(created.Order.CreatedAtAsSent, Is.EqualTo($"{day}T18:42:09{offset}"));
            Assert.That(created.OccurredAt.Offset, Is.EqualTo(TimeSpan.Zero), "X-Shopify-Triggered-At too");
        });
    }

    static JsonObject Order(long id)
    {
        var order = ShopifySamples.Parse(ShopifySamples.Order);
        order["id"] = id;
        return order;
    }

    static async Task<DeliveryResult> Deliver(TestShop shop, string topic, JsonObject payload, string webhookId, string eventId)
    {
        using var client = Emulator.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/deliveries", new DeliveryRequest(
            topic, shop.Domain, shop.Secret, Payload: payload, WebhookId: $"{shop.Domain}-{webhookId}", EventId: $"{shop.Domain}-{eventId}",
            AccessToken: shop.AccessToken));
        return (await response.Content.ReadFromJsonAsync<DeliveryResult>())!;
    }

    /// <summary>The EventId ingest recorded for each delivery, in the order given.</summary>
    static async Task<List<Guid>> EventIdsOfAsync(params string[] webhookIds)
    {
        using var scope = Ingest.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        var rows = await db.ReceivedWebhooks.Where(w => webhookIds.Contains(w.WebhookId)).ToDictionaryAsync(w => w.WebhookId, w => w.EventId);
        return [.. webhookIds.Select(id => rows[id])];
    }

    /// <summary>Once an event's outbox row is marked sent, nothing more of it is coming.</summary>
    static Task WaitSentAsync(Guid eventId) => Eventually.Get(async () =>
    {
        using var scope = Ingest.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IngestDbContext>().OutboxMessages.AnyAsync(m => m.Id == eventId && m.SentAt != null);
    }, sent => sent, TimeSpan.FromSeconds(20), "the event's outbox row marked sent");

    static Task<IReadOnlyList<ShopifyOrderCreated>> WaitForCreatedAsync(TestShop shop, long orderId, int count) =>
        Eventually.Get(() => Task.FromResult(Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId && e.Order.Id == orderId)),
            e => e.Count >= count, TimeSpan.FromSeconds(20), $"{count} orders/create published");
}
