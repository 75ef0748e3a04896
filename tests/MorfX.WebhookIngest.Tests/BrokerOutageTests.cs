using System.Diagnostics;
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

/// <summary>Stops the real RabbitMQ, so it runs after every other fixture, and always starts it again.</summary>
[Order(100), NonParallelizable]
public sealed class BrokerOutageTests
{
    static readonly string InfraScript = Path.Combine(TestInfrastructure.RepoRoot, "deploy/local/infra.sh");

    [Test]
    public async Task Webhooks_accepted_while_the_broker_is_down_are_published_once_when_it_is_back()
    {
        var shop = await ConnectShopAsync();
        var webhookIds = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString()).ToList();

        var duringOutage = new List<DeliveryResult>();
        DeliveryResult repeated;
        await TestInfrastructure.RunAsync(InfraScript, "stop-rabbitmq");
        var restarted = Stopwatch.StartNew();
        try
        {
            foreach (var (id, i) in webhookIds.Select((id, i) => (id, i)))
                duringOutage.Add(await DeliverAsync(shop, "orders/create", payload: Order(80_000 + i), webhookId: id));
            // Shopify's own retry of an accepted delivery: already recorded, so not a second event.
            repeated = await DeliverAsync(shop, "orders/create", payload: Order(80_000), webhookId: webhookIds[0]);
        }
        finally
        {
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
            restarted.Restart();
        }

        var answers = string.Join(", ", duringOutage.Select(d => $"{d.Status} in {d.ElapsedMs} ms"));
        TestContext.Out.WriteLine($"During the outage: {answers}; repeat {repeated.Status} in {repeated.ElapsedMs} ms");
        Assert.That(duringOutage.Select(d => d.Status), Is.All.EqualTo(200), "accepted: recorded in PostgreSQL with its event");
        Assert.That(duringOutage.Select(d => d.ElapsedMs), Is.All.LessThan(5000), "answered inside Shopify's 5 s");
        Assert.That(repeated.Status, Is.EqualTo(200));

        var expected = await AcceptedEventsAsync(webhookIds);
        Assert.That(expected, Has.Count.EqualTo(webhookIds.Count), "each delivery recorded once");
        await Eventually.Get(() => Task.FromResult(Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId)),
            events => expected.All(id => events.Any(e => e.EventId == id)), TimeSpan.FromSeconds(90),
            "every accepted webhook's event, once RabbitMQ is back");
        TestContext.Out.WriteLine($"All {expected.Count} events seen {restarted.ElapsedMilliseconds} ms after RabbitMQ was started again");

        // Once every row is marked sent nothing is left to publish: what was seen by then is all there will be.
        await Eventually.Get(() => UnsentAsync(expected), unsent => unsent == 0, TimeSpan.FromSeconds(30), "the outbox rows marked sent");
        var seen = Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);
        Assert.That(seen.Select(e => e.EventId).Order(), Is.EqualTo(expected.Order()), "each accepted webhook published once, the repeat not at all");
    }

    static JsonObject Order(long id)
    {
        var order = ShopifySamples.Parse(ShopifySamples.Order);
        order["id"] = id;
        return order;
    }

    /// <summary>The events ingest recorded as accepted for these deliveries.</summary>
    static async Task<List<Guid>> AcceptedEventsAsync(IReadOnlyCollection<string> webhookIds)
    {
        using var scope = Ingest.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        return await db.ReceivedWebhooks.Where(w => webhookIds.Contains(w.WebhookId)).Select(w => w.EventId).ToListAsync();
    }

    static async Task<int> UnsentAsync(IReadOnlyCollection<Guid> ids)
    {
        using var scope = Ingest.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        return await db.OutboxMessages.CountAsync(m => ids.Contains(m.Id) && m.SentAt == null);
    }

    [OneTimeTearDown]
    public async Task RabbitMqIsRunningAgain()
    {
        if (!TestInfrastructure.PortOpen(TestInfrastructure.AmqpPort))
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
    }
}
