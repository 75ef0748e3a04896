using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

public class StatusAndPriceTests
{
    [Test]
    public async Task Out_of_order_status_callbacks_leave_the_right_final_status()
    {
        var (workspace, request, sid) = await SentMessageAsync();

        await Report(workspace, sid, "delivered");
        await RowWhenAsync(request.RequestId, r => r.Status == "delivered", "delivered is applied");
        // Late and repeated callbacks: older statuses, a repeat, and a contradicting final one.
        await Report(workspace, sid, "sent");
        await Report(workspace, sid, "queued");
        await Report(workspace, sid, "delivered");
        await Report(workspace, sid, "undelivered", 30003);

        await Consistently(async () => (await RowAsync(request.RequestId))!.Status == "delivered", "a final status never changes");
        var changes = Events.All<SmsStatusChanged>(e => e.MessageSid == sid);
        // Older and contradicting statuses are never announced; a repeat of the current one may be (at least once).
        Assert.That(changes.Select(c => c.Status), Is.Not.Empty.And.All.EqualTo("delivered"));
        Assert.That(changes.Select(c => c.RequestId), Is.All.EqualTo(request.RequestId));
        Assert.That(Events.All<SmsDeliveryFailed>(e => e.MessageSid == sid), Is.Empty, "a delivered message is no failure for the run history");
    }

    [Test]
    public async Task Statuses_in_order_are_announced_in_order()
    {
        var (workspace, request, sid) = await SentMessageAsync();

        await Report(workspace, sid, "sent");
        await RowWhenAsync(request.RequestId, r => r.Status == "sent", "sent is applied");
        await Report(workspace, sid, "sent");
        await Report(workspace, sid, "undelivered", 30003);

        var row = await RowWhenAsync(request.RequestId, r => r.Status == "undelivered", "undelivered is applied");
        Assert.That(row.ErrorCode, Is.EqualTo(30003));
        Assert.That(row.RedeliverAt, Is.GreaterThan(row.FinalAt!.Value), "a transient carrier failure of an automation's message schedules another delivery");
        await Events.WaitForAsync<SmsStatusChanged>(e => e.MessageSid == sid && e.Status == "undelivered");
        Assert.That(Events.All<SmsStatusChanged>(e => e.MessageSid == sid).Select(e => e.Status).Distinct(), Is.EqualTo(new[] { "sent", "undelivered" }));
        // The run history hears of the failure (and only of it): the engine no longer takes every status.
        var failure = await Events.WaitForAsync<SmsDeliveryFailed>(e => e.MessageSid == sid);
        Assert.That((failure.RequestId, failure.Status, failure.ErrorCode), Is.EqualTo((request.RequestId, "undelivered", (int?)30003)));
    }

    [Test]
    public async Task Price_arrives_through_the_reconciler_after_being_null()
    {
        var (workspace, request, sid) = await SentMessageAsync();

        await Report(workspace, sid, "delivered");
        // Twilio has no price yet: the reconciler fetched the message, found null, and keeps checking.
        var unpriced = await RowWhenAsync(request.RequestId, r => r.PriceChecks >= 1, "the first price check");
        Assert.That(unpriced.Price, Is.Null);
        Assert.That(unpriced.NextPriceCheckAt, Is.Not.Null);
        Assert.That(Events.All<SmsPriced>(e => e.MessageSid == sid), Is.Empty);

        await Emulator.SetPriceAsync(sid, -0.00750m);

        var priced = await Events.WaitForAsync<SmsPriced>(e => e.MessageSid == sid);
        Assert.Multiple(() =>
        {
            Assert.That(priced.Cost, Is.EqualTo(0.0075m));
            Assert.That(priced.PriceUnit, Is.EqualTo("USD"));
            Assert.That(priced.RequestId, Is.EqualTo(request.RequestId));
            Assert.That(priced.WorkspaceId, Is.EqualTo(workspace.Id));
        });
        var row = await RowWhenAsync(request.RequestId, r => r.Price is not null, "the price is stored");
        Assert.That(row.Price, Is.EqualTo(-0.00750m));
        Assert.That(row.NextPriceCheckAt, Is.Null, "a priced message is not checked again");
    }

    [Test]
    public async Task Price_reconciliation_is_driven_by_the_database_alone()
    {
        // A message an earlier process sent and saw delivered, then stopped before pricing: only its row remains.
        var (workspace, request, sid) = await SentMessageAsync();
        await Emulator.SetPriceAsync(sid, -0.01500m);
        using (var scope = SmsSenderHost.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
            await db.Messages.Where(m => m.RequestId == request.RequestId).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, "delivered").SetProperty(m => m.NextPriceCheckAt, DateTimeOffset.UtcNow.AddMinutes(-10)));
        }

        var priced = await Events.WaitForAsync<SmsPriced>(e => e.MessageSid == sid);

        Assert.That(priced.Cost, Is.EqualTo(0.015m));
        Assert.That(priced.WorkspaceId, Is.EqualTo(workspace.Id));
    }

    [Test]
    public async Task A_workspaces_messages_are_priced_together_and_each_row_keeps_its_own_price()
    {
        var workspace = await WorkspaceAsync();
        var (requests, sids) = await SentMessagesAsync(workspace, 6);
        for (var i = 0; i < sids.Count; i++) await Emulator.SetPriceAsync(sids[i], -0.001m * (i + 1));

        await Task.WhenAll(sids.Select(sid => Report(workspace, sid, "delivered")));

        for (var i = 0; i < requests.Count; i++)
        {
            var row = await RowWhenAsync(requests[i].RequestId, r => r.Price is not null, "the price is stored");
            Assert.That((row.Price, row.PriceUnit, row.NextPriceCheckAt), Is.EqualTo(((decimal?)(-0.001m * (i + 1)), "USD", (DateTimeOffset?)null)));
            var priced = await Events.WaitForAsync<SmsPriced>(e => e.MessageSid == sids[i]);
            Assert.That(priced.RequestId, Is.EqualTo(requests[i].RequestId));
        }
    }

    static async Task<(TestWorkspace Workspace, SmsRequested Request, string Sid)> SentMessageAsync()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu pedido fue entregado");
        await Events.Bus.Publish(request);
        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent");
        return (workspace, request, row.MessageSid!);
    }

    /// <summary>What webhook-ingest publishes for a verified Twilio status callback.</summary>
    static Task Report(TestWorkspace workspace, string sid, string status, int? errorCode = null) =>
        Events.Bus.Publish(new TwilioStatusReported(workspace.Id, sid, status, errorCode, workspace.AccountSid, DateTimeOffset.UtcNow));
}
