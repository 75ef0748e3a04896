using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// Twilio on a bad day, through all five services with two sms-sender processes: a late 201, callbacks lost, duplicated or
/// reordered, and a customer who texted SALIR. Each case is chosen at the Twilio emulator for one recipient.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class TwilioHardCasesTests
{
    static SystemFixture System => TestRun.System;

    [OneTimeSetUp]
    public Task TwoSmsSenders() => System.StartAnotherSmsSenderAsync();

    [Test]
    public async Task Order_to_a_twilio_that_answers_201_after_8_seconds_sends_exactly_one_sms()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var automation = await workspace.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}, tu pedido va en camino");
        var phone = Phone();
        await ScenarioAsync(new { to = phone, kind = "slow", delayMs = 8000 });

        var delivered = Stopwatch.StartNew();
        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Lenta Ruiz", phone, 10m)), Is.EqualTo(200));

        await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "the SMS at Twilio");
        var usage = await Eventually.Get(() => workspace.UsageAsync(), u => u["totalSent"]!.GetValue<int>() == 1 && u["pendingCount"]!.GetValue<int>() == 0,
            TimeSpan.FromSeconds(60), "sent and priced in usage");
        // Here the first status callback (through webhook-ingest, with our marker) claims the sid long before the 201 arrives;
        // look again once that late answer has come and gone.
        TestContext.Out.WriteLine($"sent and priced {delivered.Elapsed.TotalSeconds:0.0} s after the order");
        if (TimeSpan.FromSeconds(10) - delivered.Elapsed is { Ticks: > 0 } rest) await Task.Delay(rest);
        Assert.That(await workspace.SmsAsync(), Has.Count.EqualTo(1), "the late create was never posted again");
        Assert.That(usage["messages"]!.AsArray().Single()!["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
        Assert.That((await workspace.RunsAsync(automation)).Single()!["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
    }

    [TestCase("+15005550020", 30003)]
    [TestCase("+15005550021", 30008)]
    public async Task A_transient_carrier_failure_is_sent_again_later_with_backoff_up_to_three_messages(string unreachable, int code)
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}, tu pedido va en camino", to: unreachable);

        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Ana Gómez", "+573001112233", 10m)), Is.EqualTo(200));

        // The emulator fails this number every time: the first message, one 2 s later, one 8 s after that, and no more.
        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= 3, TimeSpan.FromSeconds(40), "three deliveries");
        Assert.That(sms.Select(m => m.To).Distinct(), Is.EqualTo(new[] { unreachable }));
        var gaps = sms.OrderBy(m => m.CreatedAt).Zip(sms.OrderBy(m => m.CreatedAt).Skip(1), (a, b) => b.CreatedAt - a.CreatedAt).ToList();
        Assert.That(gaps[1], Is.GreaterThan(gaps[0]), "backoff grows");
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.That(await workspace.SmsAsync(), Has.Count.EqualTo(3), "at most three messages");
        // Each attempt is its own message in usage (Twilio may charge each one); a failed one is listed, not counted as sent.
        var usage = await Eventually.Get(() => workspace.UsageAsync(), u => u["messages"]!.AsArray().Count == 3, TimeSpan.FromSeconds(30), "each attempt in usage");
        Assert.That(usage["messages"]!.AsArray().Select(m => m!["status"]!.GetValue<string>()).Distinct().Single(), Is.AnyOf("undelivered", "failed"));
        TestContext.Out.WriteLine($"{code}: deliveries {string.Join(", ", sms.OrderBy(m => m.CreatedAt).Select(m => m.CreatedAt.ToString("HH:mm:ss.f")))}");
    }

    [Test]
    public async Task Callbacks_lost_duplicated_or_reordered_still_end_in_one_delivered_and_priced_sms_each()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", "Pedido {{orden.numero}} confirmado");
        var phones = new[] { "lost", "duplicated", "reordered" }.ToDictionary(mode => mode, _ => Phone());
        foreach (var (mode, phone) in phones) await ScenarioAsync(new { to = phone, callbacks = mode });

        foreach (var (mode, phone) in phones)
            Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order($"Cliente {mode}", phone, 10m)), Is.EqualTo(200));

        // A lost callback is made up for by asking Twilio (Pricing:StatusCheckAfter, 5 s here).
        var usage = await Eventually.Get(() => workspace.UsageAsync(), u => u["totalSent"]!.GetValue<int>() == 3 && u["pendingCount"]!.GetValue<int>() == 0,
            TimeSpan.FromSeconds(90), "three SMS sent and priced in usage");
        Assert.That(usage["messages"]!.AsArray().Select(m => m!["status"]!.GetValue<string>()), Is.All.EqualTo("delivered"));
        Assert.That((await workspace.SmsAsync()).Select(m => m.To).Order(), Is.EqualTo(phones.Values.Order()), "one SMS per order");
        Assert.That(usage["totalCost"]!.GetValue<decimal>(), Is.EqualTo(await workspace.EmulatorCostAsync()));
    }

    [Test]
    public async Task Customer_who_texted_SALIR_gets_no_sms_and_the_run_shows_the_step_skipped()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var automation = await workspace.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}");
        var phone = Phone();
        using (var twilio = System.Twilio.CreateClient())
        {
            var inbound = await twilio.PostAsJsonAsync("/_emulator/inbound", new
            {
                url = new Uri(System.Ingest.BaseAddress, $"/webhooks/twilio/inbound/{workspace.Id}").ToString(),
                accountSid = workspace.AccountSid, from = phone, to = workspace.FromNumber, body = "Salir",
            });
            Assert.That((await inbound.Content.ReadFromJsonAsync<InboundResult>())!.Status, Is.EqualTo(200), "webhook-ingest took the signed inbound SMS");
        }
        // The opt-out is applied asynchronously (webhook-ingest → broker → sms-sender): an order a moment later must see it.
        await Task.Delay(2000);

        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Ana Salir", phone, 10m)), Is.EqualTo(200));

        var step = await Eventually.Get(async () => (await workspace.RunsAsync(automation)).FirstOrDefault() is { } run
                ? await StepAsync(workspace, automation, run["id"]!.GetValue<Guid>()) : null,
            s => s?["status"]?.GetValue<string>() == "skipped", TimeSpan.FromSeconds(30), "the send_sms step recorded as skipped");
        Assert.That(step!["errorCode"]!.GetValue<string>(), Is.EqualTo("recipient_opted_out"));
        Assert.That(await workspace.SmsAsync(), Is.Empty, "no SMS to a customer who opted out");
    }

    sealed record InboundResult(string Sid, int Status);

    static async Task<JsonNode?> StepAsync(Workspace workspace, Guid automation, Guid runId)
    {
        using var engine = System.Engine.CreateClient(workspace.Token);
        var run = await engine.GetFromJsonAsync<JsonNode>($"/api/automations/{automation}/runs/{runId}");
        return run!["steps"]!.AsArray().Single();
    }

    static string Phone() => "+57311" + Random.Shared.Next(1_000_000, 9_999_999);

    static async Task ScenarioAsync(object scenario)
    {
        using var twilio = System.Twilio.CreateClient();
        (await twilio.PostAsJsonAsync("/_emulator/scenarios", scenario)).EnsureSuccessStatusCode();
    }
}
