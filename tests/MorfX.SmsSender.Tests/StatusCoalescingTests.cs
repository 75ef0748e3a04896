using MorfX.Contracts;
using MorfX.SmsSender.Consumers;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>Status callbacks are taken in batches and coalesced per message: one update and one SmsStatusChanged per message per batch.</summary>
public class StatusCoalescingTests
{
    static readonly Guid Workspace = Guid.NewGuid();

    static TwilioStatusReported Report(string sid, string status, int? code = null) =>
        new(Workspace, sid, status, code, "AC1", DateTimeOffset.UtcNow);

    [Test]
    public void A_batch_keeps_each_messages_furthest_status()
    {
        var furthest = TwilioStatusReportedConsumer.Furthest(
            [Report("SM1", "queued"), Report("SM2", "sent"), Report("SM1", "Delivered"), Report("SM1", "sent"), Report("SM2", "queued")]);

        Assert.That(furthest.Select(r => (r.MessageSid, r.MessageStatus)),
            Is.EquivalentTo(new[] { ("SM1", "delivered"), ("SM2", "sent") }));
    }

    [Test]
    public void The_first_final_status_wins_as_it_would_one_by_one()
    {
        var furthest = TwilioStatusReportedConsumer.Furthest([Report("SM1", "sent"), Report("SM1", "delivered"), Report("SM1", "undelivered", 30003)]);

        Assert.That(furthest.Single().MessageStatus, Is.EqualTo("delivered"), "a final status never changes, so a later final one is ignored");
    }

    [Test]
    public void Unknown_statuses_are_left_out()
    {
        Assert.That(TwilioStatusReportedConsumer.Furthest([Report("SM1", "teleported")]), Is.Empty);
    }

    [Test]
    public async Task A_burst_of_callbacks_leaves_every_message_at_its_final_status_and_announces_it()
    {
        var workspace = await WorkspaceAsync();
        var (requests, sids) = await SentMessagesAsync(workspace, 10);

        // Twilio's three callbacks per message, all at once and out of order, as a busy webhook-ingest republishes them.
        var callbacks = sids.SelectMany(sid => new[] { "sent", "queued", "delivered" }
            .Select(status => new TwilioStatusReported(workspace.Id, sid, status, null, workspace.AccountSid, DateTimeOffset.UtcNow))).ToList();
        await Task.WhenAll(callbacks.Select(c => Events.Bus.Publish(c)));

        foreach (var request in requests) await RowWhenAsync(request.RequestId, r => r.Status == "delivered", "delivered is applied");
        foreach (var sid in sids) await Events.WaitForAsync<SmsStatusChanged>(e => e.MessageSid == sid && e.Status == "delivered");
        var announced = Events.All<SmsStatusChanged>(e => sids.Contains(e.MessageSid));
        // A repeat of a status the message had when its batch read it may still be announced (at least once, usage-api ranks them);
        // nothing else is, and each announcement names the message's own request.
        Assert.That(announced.Select(e => e.Status), Is.All.AnyOf("queued", "sent", "delivered"));
        Assert.That(announced.All(e => e.RequestId == requests[sids.IndexOf(e.MessageSid)].RequestId), Is.True);
        TestContext.Out.WriteLine($"{callbacks.Count} callbacks for {sids.Count} messages: {announced.Count} SmsStatusChanged announced");
    }

    [Test]
    public async Task Callbacks_carried_many_to_a_message_are_applied_and_announced_many_to_a_message()
    {
        var workspace = await WorkspaceAsync();
        var (requests, sids) = await SentMessagesAsync(workspace, 10);

        // As webhook-ingest publishes them: callbacks that arrived together in one TwilioStatusReports.
        await Events.Bus.Publish(new TwilioStatusReports([.. sids.SelectMany(sid => new[] { "sent", "delivered" }
            .Select(status => new TwilioStatusReported(workspace.Id, sid, status, null, workspace.AccountSid, DateTimeOffset.UtcNow)))]));

        foreach (var request in requests) await RowWhenAsync(request.RequestId, r => r.Status == "delivered", "delivered is applied");
        foreach (var sid in sids) await Events.WaitForAsync<SmsStatusChanged>(e => e.MessageSid == sid && e.Status == "delivered");
        var carriers = Events.All<SmsActivity>(a => a.StatusChanges.Any(c => sids.Contains(c.MessageSid) && c.Status == "delivered"));
        Assert.That(carriers, Has.Count.LessThan(sids.Count), "the batch's announcements share SmsActivity messages");
        Assert.That(carriers.SelectMany(a => a.StatusChanges).Where(c => sids.Contains(c.MessageSid)).All(c => c.RequestId == requests[sids.IndexOf(c.MessageSid)].RequestId),
            Is.True, "each announcement names the message's own request");
    }

    [Test]
    public async Task A_callback_for_an_unknown_sid_from_a_workspace_with_a_send_in_flight_holds_back_no_other_workspaces_reports()
    {
        // Workspace A has a send waiting for Twilio's answer and signs, with its own token, a callback for a sid MorfX never sent
        // (no marker of ours in it); the same batch carries workspace B's real callbacks.
        var a = await WorkspaceAsync();
        var b = await WorkspaceAsync();
        await InsertRowAsync(new SmsMessage
        {
            RequestId = Guid.NewGuid(), WorkspaceId = a.Id, ToNumber = Phone(), Body = "Pedido en camino", Encoding = "GSM-7",
            Status = "sending", OriginKind = SmsOrigin.Automation, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        });
        var (requests, sids) = await SentMessagesAsync(b, 3);

        await Events.Bus.Publish(new TwilioStatusReports([
            new TwilioStatusReported(a.Id, "SM" + Guid.NewGuid().ToString("N"), "delivered", null, a.AccountSid, DateTimeOffset.UtcNow),
            .. sids.Select(sid => new TwilioStatusReported(b.Id, sid, "delivered", null, b.AccountSid, DateTimeOffset.UtcNow))]));

        // At once, not after the batch's retries (about 20 s) nor from an _error queue.
        foreach (var request in requests)
        {
            var row = await Eventually.Get(() => RowAsync(request.RequestId), r => r?.Status == "delivered", TimeSpan.FromSeconds(5), "B's callback applied");
            Assert.That(row!.Status, Is.EqualTo("delivered"));
        }
        Assert.That((await TestInfrastructure.ErrorQueueMessagesAsync()).GetValueOrDefault("sms-sender-twilio-status-reported_error"), Is.Zero);
    }
}
