using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>What ops rely on when running more than one instance, and what they see through OpenTelemetry.</summary>
public class ScaleOutAndTelemetryTests
{
    static SystemFixture System => TestRun.System;

    [Test]
    public async Task Two_engines_and_two_sms_senders_consuming_at_once_send_each_sms_exactly_once()
    {
        // Each is its own process under the AppHost: start them together.
        await Task.WhenAll(System.StartAnotherEngineAsync(), System.StartAnotherSmsSenderAsync());
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", "Orden {{orden.numero}} en camino");
        const int orders = 30;

        await Task.WhenAll(Enumerable.Range(0, orders).Select(i =>
            workspace.DeliverUntilAcceptedAsync("orders/create", Workspace.Order($"Cliente {i}", $"+5731155{i:D5}", 10m + i), Guid.NewGuid().ToString())));

        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= orders, TimeSpan.FromSeconds(60), $"{orders} SMS");
        await Task.Delay(3000);
        sms = await workspace.SmsAsync();
        Assert.That(sms.Select(m => m.Body).Distinct().Count(), Is.EqualTo(orders), "every order has its SMS");
        Assert.That(sms, Has.Count.EqualTo(orders), "and none was sent twice");
    }

    [Test]
    public async Task One_trace_spans_the_webhook_the_engine_sms_sender_and_the_twilio_call()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}");
        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Traza Ruiz", "+573009998877", 1m)), Is.EqualTo(200));
        await Eventually.Get(workspace.SmsAsync, m => m.Count == 1, TimeSpan.FromSeconds(30), "the SMS");

        // sms-sender runs as its own process: its call to Twilio reaches the receiver only through OTLP export.
        var twilioCall = await Eventually.Get(
            () => Task.FromResult(System.Telemetry.Spans.FirstOrDefault(s => s.Service == "sms-sender" && s.Kind == 3
                && s.Attributes.Values.Any(v => v.Contains("/Messages.json")) && s.Attributes.Values.Any(v => v.Contains(workspace.AccountSid)))),
            s => s is not null, TimeSpan.FromSeconds(30), "sms-sender's Twilio call span");
        List<ReceivedSpan> trace = [];
        try
        {
            trace = await Eventually.Get(
                () => Task.FromResult(System.Telemetry.Spans.Where(s => s.TraceId == twilioCall!.TraceId).ToList()),
                // Each process exports in its own batches: wait for every span the assertions below name.
                t => t.Any(s => s.Name == "POST /webhooks/shopify" && s.Kind == 2)
                    && t.Any(s => s.Name == "automation-engine-shopify-order-created process")
                    && t.Any(s => s.Service == "sms-sender" && s.Name == "sms-sender-sms-requested process"),
                TimeSpan.FromSeconds(30), "the webhook, engine and sms-sender spans in the same trace");
        }
        catch (TimeoutException)
        {
            Assert.Fail("trace of the Twilio call:\n" + string.Join("\n", System.Telemetry.Spans.Where(s => s.TraceId == twilioCall!.TraceId)
                .Where(s => s.Kind is 2 or 3 && s.Name != "postgresql").Select(s => $"{s.Service} {s.Kind} {s.Name} span={s.SpanId} parent={s.ParentSpanId} {string.Join(" ", s.Attributes.Select(a => a.Key + "=" + a.Value))}")));
        }

        var webhook = trace.First(s => s.Name == "POST /webhooks/shopify" && s.Kind == 2);
        Assert.That(webhook.Attributes["http.route"], Is.EqualTo("/webhooks/shopify"), "webhook-ingest received the order in this trace");
        Assert.That(trace.Any(s => s.Name == "automation-engine-shopify-order-created process"), Is.True, "the engine consumed the trigger in this trace");
        Assert.That(trace.Any(s => s.Service == "sms-sender" && s.Name == "sms-sender-sms-requested process"), Is.True,
            "sms-sender consumed the engine's SmsRequested in this trace");
    }

    [Test]
    public async Task Custom_metrics_reach_the_otlp_backend()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}");
        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Metrica Gil", "+573001110000", 1m)), Is.EqualTo(200));
        await Eventually.Get(workspace.SmsAsync, m => m.Count == 1, TimeSpan.FromSeconds(30), "the SMS");

        var names = await Eventually.Get(
            () => Task.FromResult(System.Telemetry.MetricsByService.Values.SelectMany(n => n.Keys).ToHashSet()),
            n => n.Contains("morfx.webhooks.accepted") && n.Contains("morfx.sms.status") && n.Contains("morfx.sms.cost"),
            TimeSpan.FromSeconds(60), "webhooks by outcome, SMS by status and their cost");

        Assert.That(names, Is.SupersetOf(new[] { "morfx.webhooks.received", "morfx.webhooks.accepted", "morfx.sms.sent", "morfx.sms.status", "morfx.sms.cost" }));
    }
}
