using System.Collections.Concurrent;
using System.Diagnostics;
using MorfX.ShopifyEmulator;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What one accepted Shopify webhook costs webhook-ingest's database, counted from Npgsql's own command activities in each
/// delivery's trace (the outbox dispatcher's passes run in traces of their own and are not counted here).
/// </summary>
[Order(4), NonParallelizable]
public sealed class RoundTripTests
{
    static readonly ActivitySource Source = new("MorfX.WebhookIngest.Tests.RoundTrips");

    [Test]
    public async Task An_accepted_webhook_costs_one_database_statement()
    {
        const int Webhooks = 20;
        var shop = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200), "warm: the shop is cached by ingest");
        var commands = new ConcurrentBag<(ActivityTraceId Trace, string? Statement)>();
        using var listener = new ActivityListener
        {
            // Every source, so each delivery's trace reaches ingest whatever the services' own sampler decides.
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql")
                    commands.Add((a.TraceId, a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName));
            },
        };
        ActivitySource.AddActivityListener(listener);

        var traces = new List<ActivityTraceId>();
        for (var i = 0; i < Webhooks; i++)
        {
            using var delivery = Source.StartActivity("deliver")!;
            traces.Add(delivery.TraceId);
            var order = ShopifySamples.Parse(ShopifySamples.Order);
            order["id"] = 70_000 + i;
            Assert.That((await DeliverAsync(shop, "orders/create", payload: order)).Status, Is.EqualTo(200));
        }

        var inDeliveries = commands.Where(c => traces.Contains(c.Trace)).ToList();
        var perWebhook = (double)inDeliveries.Count / Webhooks;
        TestContext.Out.WriteLine($"{Webhooks} webhooks: {inDeliveries.Count} database commands ({perWebhook:0.00} per webhook), " +
            $"{commands.Count - inDeliveries.Count} outside them (dispatcher passes)");
        foreach (var statement in inDeliveries.Select(c => c.Statement).Distinct()) TestContext.Out.WriteLine($"  {statement?.Split('\n')[0]}");
        Assert.That(inDeliveries, Has.Count.EqualTo(Webhooks), "one statement per webhook: the id and the event in one autocommit INSERT");
    }
}
