using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MorfX.ShopifyEmulator;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What accepting Shopify webhooks costs webhook-ingest's database, counted from Npgsql's own command activities: the
/// statement that claims webhook ids and writes their events (<see cref="Apis.WebhookClaims"/>).
/// </summary>
[Order(4), NonParallelizable]
public sealed class RoundTripTests
{
    [Test]
    public async Task An_accepted_webhook_costs_one_statement_at_most_and_webhooks_accepted_at_once_share_it()
    {
        const int Webhooks = 20;
        var shop = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200), "warm: the shop is cached by ingest");
        var claims = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if ((a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) is string sql && sql.Contains("INSERT INTO received_webhooks"))
                    claims.Enqueue(sql);
            },
        };
        ActivitySource.AddActivityListener(listener);

        for (var i = 0; i < Webhooks; i++)
            Assert.That((await DeliverAsync(shop, "orders/create", payload: Order(70_000 + i))).Status, Is.EqualTo(200));
        var oneByOne = claims.Count;
        claims.Clear();
        var atOnce = await Task.WhenAll(Enumerable.Range(0, Webhooks).Select(i => DeliverAsync(shop, "orders/create", payload: Order(80_000 + i))));

        TestContext.Out.WriteLine($"{Webhooks} webhooks one after another: {oneByOne} claim statements; {Webhooks} at once: {claims.Count}");
        Assert.That(oneByOne, Is.EqualTo(Webhooks), "one statement per webhook: its id and its event in one autocommit INSERT");
        Assert.That(atOnce.Select(d => d.Status), Is.All.EqualTo(200));
        Assert.That(claims, Has.Count.InRange(1, Webhooks), "at most one statement per webhook when they arrive together");
    }

    static JsonNode Order(long id)
    {
        var order = ShopifySamples.Parse(ShopifySamples.Order);
        order["id"] = id;
        return order;
    }
}
