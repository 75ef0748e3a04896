using System.Collections.Concurrent;
using System.Diagnostics;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// An order is one trace from webhook to Twilio: the engine takes Shopify events in batches, outside their traces, yet the
/// SmsRequested of each order is published in that order's trace.
/// </summary>
public class BatchTraceTests : EngineFixture
{
    [Test]
    public async Task The_SmsRequested_of_a_batched_order_is_published_in_the_orders_trace()
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
        ActivityTraceId orderTrace;
        using (var webhook = source.StartActivity("POST /webhooks/shopify", ActivityKind.Server)!)
        {
            orderTrace = webhook.TraceId;
            await Bus.Publish(new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId())));
        }
        await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count == 1, because: "SmsRequested published");

        var sends = started.Where(a => a.OperationName.Contains("SmsRequested", StringComparison.Ordinal) && a.Kind == ActivityKind.Producer).ToList();
        TestContext.Out.WriteLine(string.Join("\n", started.Select(a => $"{a.TraceId} {a.Kind} {a.OperationName}")));
        Assert.That(sends.Select(a => a.TraceId), Does.Contain(orderTrace), "SmsRequested is sent in the order's trace");
    }
}
