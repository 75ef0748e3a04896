using System.Diagnostics;
using System.Net;
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
        // Twilio retries a failed callback only once: a status and a customer's STOP must be accepted during the outage too.
        var (twilioWorkspace, authToken) = await TwilioStatusCallbackTests.ConnectTwilioAsync();
        var status = TwilioStatusCallbackTests.StatusForm("delivered");
        var statusPath = $"/webhooks/twilio/status/{twilioWorkspace}";
        var stop = TwilioInboundTests.InboundForm("STOP", optOutType: "STOP");
        var inboundPath = $"/webhooks/twilio/inbound/{twilioWorkspace}";

        var duringOutage = new List<DeliveryResult>();
        var twilioAnswers = new List<(HttpStatusCode Status, long ElapsedMs)>();
        DeliveryResult repeated;
        await TestInfrastructure.RunAsync(InfraScript, "stop-rabbitmq");
        var restarted = Stopwatch.StartNew();
        try
        {
            foreach (var (id, i) in webhookIds.Select((id, i) => (id, i)))
                duringOutage.Add(await DeliverAsync(shop, "orders/create", payload: Order(80_000 + i), webhookId: id));
            // Shopify's own retry of an accepted delivery: already recorded, so not a second event.
            repeated = await DeliverAsync(shop, "orders/create", payload: Order(80_000), webhookId: webhookIds[0]);
            foreach (var (path, form) in new[] { (statusPath, status), (inboundPath, stop), (statusPath, status) })
            {
                var clock = Stopwatch.StartNew();
                using var answer = await TwilioStatusCallbackTests.PostAsync(path, form, TwilioStatusCallbackTests.Sign(path, form, authToken));
                twilioAnswers.Add((answer.StatusCode, clock.ElapsedMilliseconds));
            }
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
        TestContext.Out.WriteLine($"Twilio during the outage: {string.Join(", ", twilioAnswers.Select(a => $"{(int)a.Status} in {a.ElapsedMs} ms"))}");
        Assert.That(twilioAnswers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.OK), "the status (and Twilio's retry of it) and the STOP recorded in ingest's outbox");
        Assert.That(twilioAnswers.Select(a => a.ElapsedMs), Is.All.LessThan(15_000), "answered inside Twilio's 15 s");

        var expected = await AcceptedEventsAsync(webhookIds);
        Assert.That(expected, Has.Count.EqualTo(webhookIds.Count), "each delivery recorded once");
        await Eventually.Get(() => Task.FromResult(Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId)),
            events => expected.All(id => events.Any(e => e.EventId == id)), TimeSpan.FromSeconds(90),
            "every accepted webhook's event, once RabbitMQ is back");
        TestContext.Out.WriteLine($"All {expected.Count} events seen {restarted.ElapsedMilliseconds} ms after RabbitMQ was started again");

        await Events.WaitForAsync<TwilioStatusReported>(r => r.WorkspaceId == twilioWorkspace, TimeSpan.FromSeconds(90));
        await Events.WaitForAsync<TwilioInboundReceived>(r => r.WorkspaceId == twilioWorkspace, TimeSpan.FromSeconds(90));

        // Once every row is marked sent nothing is left to publish: what was seen by then is all there will be.
        await Eventually.Get(() => UnsentAsync(expected), unsent => unsent == 0, TimeSpan.FromSeconds(30), "the outbox rows marked sent");
        await Eventually.Get(() => UnsentTwilioAsync(), unsent => unsent == 0, TimeSpan.FromSeconds(30), "Twilio's outbox rows marked sent");
        var seen = Events.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId);
        Assert.That(seen.Select(e => e.EventId).Order(), Is.EqualTo(expected.Order()), "each accepted webhook published once, the repeat not at all");
        Assert.That(Events.All<TwilioStatusReported>(r => r.WorkspaceId == twilioWorkspace).Select(r => (r.MessageSid, r.MessageStatus)),
            Is.EqualTo(new[] { (status["MessageSid"], "delivered") }), "the status published once, Twilio's retry of it not again");
        Assert.That(Events.All<TwilioInboundReceived>(r => r.WorkspaceId == twilioWorkspace).Select(r => (r.MessageSid, r.OptOutType)),
            Is.EqualTo(new[] { (stop["MessageSid"], (string?)"STOP") }));
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

    static async Task<int> UnsentTwilioAsync()
    {
        using var scope = Ingest.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        string[] types = [nameof(TwilioStatusReported), nameof(TwilioInboundReceived)];
        return await db.OutboxMessages.CountAsync(m => types.Contains(m.MessageType) && m.SentAt == null);
    }

    [OneTimeTearDown]
    public async Task RabbitMqIsRunningAgain()
    {
        if (!TestInfrastructure.PortOpen(TestInfrastructure.AmqpPort))
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
    }
}
