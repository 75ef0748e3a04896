using System.Net.Http.Json;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// Faults in the middle of a stream of orders. Afterwards every accepted webhook has produced exactly one SMS (counted
/// at the Twilio emulator) and usage totals match the emulator's prices to the cent.
/// </summary>
[NonParallelizable]
public class FaultToleranceTests
{
    static SystemFixture System => TestRun.System;
    const int Orders = 24;

    [Test]
    public async Task RabbitMQ_restarted_mid_stream_loses_and_doubles_nothing()
    {
        // While the broker is down ingest still answers 200 (the webhook's id and event are committed to its outbox), and
        // the outbox dispatcher publishes once RabbitMQ is back: every accepted order still gets exactly one SMS.
        var workspace = await PreparedWorkspaceAsync();
        await StreamAsync(workspace, fault: System.RestartRabbitMQAsync);
        await AssertExactlyOncePerOrderAsync(workspace);
    }

    [Test]
    public async Task Sms_sender_killed_and_restarted_mid_stream_loses_and_doubles_nothing()
    {
        var workspace = await PreparedWorkspaceAsync();
        await StreamAsync(workspace, fault: async () =>
        {
            await System.KillSmsSenderAsync();
            await Task.Delay(1000);
            await System.StartSmsSenderAsync();
        });
        await AssertExactlyOncePerOrderAsync(workspace);
    }

    [Test]
    public async Task Twilio_answering_429_and_500_in_bursts_still_sends_each_sms_once()
    {
        var workspace = await PreparedWorkspaceAsync();
        using var twilio = System.Twilio.CreateClient();
        await StreamAsync(workspace, fault: async () =>
        {
            (await twilio.PostAsJsonAsync("/_emulator/faults", new { status = 429, count = 4 })).EnsureSuccessStatusCode();
            await Task.Delay(300);
            (await twilio.PostAsJsonAsync("/_emulator/faults", new { status = 500, count = 4 })).EnsureSuccessStatusCode();
        });
        await AssertExactlyOncePerOrderAsync(workspace);
        await twilio.DeleteAsync("/_emulator/faults");
    }

    [Test]
    public async Task PostgreSQL_briefly_unavailable_loses_and_doubles_nothing()
    {
        var workspace = await PreparedWorkspaceAsync();
        await StreamAsync(workspace, fault: async () =>
        {
            await System.StopPostgresAsync();
            try { await Task.Delay(3000); }
            finally { await System.StartPostgresAsync(); }
        });
        await AssertExactlyOncePerOrderAsync(workspace);
    }

    [Test]
    public async Task The_same_webhook_delivered_many_times_concurrently_sends_one_sms()
    {
        var workspace = await PreparedWorkspaceAsync();
        var order = Workspace.Order("Ana Gómez", "+573001234567", 1000m);
        var webhookId = Guid.NewGuid().ToString();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => workspace.DeliverAsync("orders/create", order, webhookId)));

        Assert.That(statuses, Is.All.EqualTo(200), "every duplicate is answered 200 so Shopify stops retrying");
        await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "the SMS");
        await Task.Delay(2000);
        Assert.That(await workspace.SmsAsync(), Has.Count.EqualTo(1));
    }

    static async Task<Workspace> PreparedWorkspaceAsync()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", "Orden {{orden.numero}} confirmada");
        return workspace;
    }

    /// <summary>Delivers Orders orders, one after another like a busy store, running the fault a third of the way in.</summary>
    static async Task StreamAsync(Workspace workspace, Func<Task> fault)
    {
        Task? faultTask = null;
        for (var i = 0; i < Orders; i++)
        {
            if (i == Orders / 3) faultTask = Task.Run(fault);
            var order = Workspace.Order($"Cliente {i}", $"+5730055{i:D5}", 1000m + i);
            await workspace.DeliverUntilAcceptedAsync("orders/create", order, webhookId: Guid.NewGuid().ToString());
            await Task.Delay(100);
        }
        await faultTask!;
    }

    static async Task AssertExactlyOncePerOrderAsync(Workspace workspace)
    {
        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= Orders, TimeSpan.FromSeconds(120), $"{Orders} SMS at Twilio");
        await Task.Delay(3000); // anything sent twice would show up by now
        sms = await workspace.SmsAsync();
        var perOrder = sms.GroupBy(m => m.Body).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(perOrder, Has.Count.EqualTo(Orders), "every accepted order has its SMS");
        Assert.That(perOrder.Values, Is.All.EqualTo(1), "no SMS sent twice: " + string.Join(", ", perOrder.Where(p => p.Value > 1).Select(p => p.Key)));

        var usage = await Eventually.Get(() => workspace.UsageAsync(),
            u => u["totalSent"]!.GetValue<int>() == Orders && u["pendingCount"]!.GetValue<int>() == 0, TimeSpan.FromSeconds(120), "all priced in usage");
        Assert.That(usage["totalCost"]!.GetValue<decimal>(), Is.EqualTo(await workspace.EmulatorCostAsync()), "usage matches Twilio's prices to the cent");
    }
}
