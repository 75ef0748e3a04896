using System.Collections.Concurrent;
using System.Diagnostics;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// An order is one trace from webhook to Twilio: the engine takes Shopify events in batches, outside their traces, yet the
/// SmsRequested of each order is published in that order's trace.
/// </summary>
public class BatchTraceTests
{
    [Test]
    public async Task The_SmsRequested_of_each_order_in_a_batch_is_published_in_that_orders_trace()
    {
        var started = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is Telemetry.MorfXSource or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> o) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Hola {{cliente.nombre}}") } });

        using var source = new ActivitySource("MorfX.Tests");
        using var listenTests = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "MorfX.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> o) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listenTests);
        // Five orders, each from its own webhook trace, published at once so the engine takes them in one batch: the batch
        // runs in at most one of their traces, so without continuing each order's trace the others' SmsRequested would not.
        var orders = Enumerable.Range(0, 5).Select(_ =>
        {
            using var webhook = source.StartActivity("POST /webhooks/shopify", ActivityKind.Server)!;
            return (Trace: webhook.TraceId, Publish: Bus.Publish(new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()))));
        }).ToList();
        await Task.WhenAll(orders.Select(o => o.Publish));
        await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count == orders.Count, because: "one SmsRequested per order");

        var sendTraces = started.Where(a => a.OperationName.Contains("SmsRequested", StringComparison.Ordinal) && a.Kind == ActivityKind.Producer)
            .Select(a => a.TraceId).ToList();
        TestContext.Out.WriteLine(string.Join("\n", started.Select(a => $"{a.TraceId} {a.Kind} {a.OperationName}")));
        Assert.That(orders.Select(o => o.Trace), Is.SubsetOf(sendTraces), "each order's SmsRequested is sent in that order's own trace");
    }
}
