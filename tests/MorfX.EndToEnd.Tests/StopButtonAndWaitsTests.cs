using System.Collections.Concurrent;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// Issue 31 on the AppHost topology: the merchant's stop button stops what is queued behind a flood, and a held run survives
/// a crash of the engine and leaves exactly once.
/// </summary>
public class StopButtonAndWaitsTests
{
    static SystemFixture System => TestRun.System;
    const int FloodSize = 300;

    [Test]
    public async Task Disabling_an_automation_during_a_flood_stops_the_sms_not_yet_handed_to_twilio()
    {
        // 200 ms per message at Twilio: the flood queues up far faster than it drains.
        var shop = await System.CreateWorkspaceAsync(autoSyncOrders: false, twilioSendDelayMs: 200);
        var automationId = await shop.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}}");
        var statuses = new ConcurrentQueue<int?>();
        await Parallel.ForEachAsync(Enumerable.Range(0, FloodSize), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (i, _) =>
            statuses.Enqueue(await shop.DeliverAsync("orders/create", Workspace.Order($"Cliente {i}", $"+57301{i:D7}", 1000m + i))));
        Assert.That(statuses, Is.All.EqualTo(200), "Shopify's 300 orders accepted");

        await Task.Delay(TimeSpan.FromSeconds(5));
        await shop.DisableAutomationAsync(automationId);
        var atDisable = (await shop.SmsAsync()).Count;

        // Every order's SMS ends: at Twilio, or skipped by the stop in its run's history.
        const string Stopped = """
            SELECT count(*) FROM automation_run_steps s JOIN automation_runs r ON r.id = s.run_id
            WHERE r.workspace_id = @w AND s.status = 'skipped' AND s.error_code = 'automation_disabled'
            """;
        await Eventually.Get(async () => (await shop.SmsAsync()).Count + await shop.EngineNumberAsync(Stopped), n => n >= FloodSize,
            TimeSpan.FromMinutes(3), "every order's SMS sent or stopped");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (sent, stopped) = ((await shop.SmsAsync()).Count, await shop.EngineNumberAsync(Stopped));
        TestContext.Out.WriteLine($"{atDisable} SMS at Twilio when disabled, {sent} in the end, {stopped} skipped with automation_disabled");

        Assert.That(stopped, Is.GreaterThan(100), "well over a hundred queued SMS were stopped");
        Assert.That(sent + stopped, Is.EqualTo(FloodSize), "each order's SMS either reached Twilio or was stopped, none lost, none twice");
        Assert.That(sent - atDisable, Is.LessThan(20), "only what was already being handed to Twilio went out after the stop");
    }

    [Test]
    public async Task A_waiting_run_survives_an_engine_crash_and_its_sms_leaves_once()
    {
        var shop = await System.CreateWorkspaceAsync(autoSyncOrders: false);
        var automationId = await shop.CreateAutomationAsync(new
        {
            name = "Reseña", trigger = "shopify.order_created", enabled = true,
            actions = new object[]
            {
                new { type = "wait", config = new Dictionary<string, object> { ["minutes"] = 120 } },
                new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = "{{cliente.telefono}}", ["body"] = "¿Cómo te fue con tu orden {{orden.numero}}?" } },
            },
        });
        Assert.That(await shop.DeliverAsync("orders/create", Workspace.Order("Ana Reseña", "+573015550001", 80000m)), Is.EqualTo(200));
        const string Waiting = "SELECT count(*) FROM run_waits WHERE workspace_id = @w";
        await Eventually.Get(() => shop.EngineNumberAsync(Waiting), n => n == 1, TimeSpan.FromSeconds(60), "the run waits");

        await System.KillEngineAsync();
        // Two hours pass while the engine is down.
        await shop.EngineNumberAsync("WITH due AS (UPDATE run_waits SET resume_at = now() - interval '1 second' WHERE workspace_id = @w RETURNING 1) SELECT count(*) FROM due");
        await System.StartEngineAsync();

        var sms = await Eventually.Get(shop.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(60), "the SMS after the wait");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That((await shop.SmsAsync()).Select(m => m.Body), Is.EqualTo(new[] { sms[0].Body }), "sent once");
        Assert.That(await shop.EngineNumberAsync(Waiting), Is.Zero);
        var run = (await shop.RunsAsync(automationId)).Single()!;
        Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
    }
}
