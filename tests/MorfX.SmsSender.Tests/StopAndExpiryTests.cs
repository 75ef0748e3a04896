using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// The stop button and expiry at sms-sender: what an automation asked for before it was disabled, and what is more than a day
/// past its due time, is skipped (never sent to Twilio) with its own code for the run history.
/// </summary>
public class StopAndExpiryTests
{
    static SmsRequested From(Guid workspaceId, Guid automationId, DateTimeOffset requestedAt, string body) =>
        Request(workspaceId, Phone(), body) with
        {
            Origin = new SmsOrigin(SmsOrigin.Automation, automationId, Guid.NewGuid(), Guid.NewGuid()),
            RequestedAt = requestedAt,
        };

    [Test]
    public async Task What_a_stopped_automation_requested_before_the_stop_is_skipped_and_what_it_requests_after_is_sent()
    {
        var workspace = await WorkspaceAsync();
        var automationId = Guid.NewGuid();
        var stoppedAt = DateTimeOffset.UtcNow;
        await StopAutomationAsync(workspace.Id, automationId, stoppedAt);
        var queued = From(workspace.Id, automationId, stoppedAt.AddSeconds(-5), "Pedido en cola antes de desactivar");
        // One parked by an outage: recorded, its Twilio call never made, handed back after the stop.
        var parked = From(workspace.Id, automationId, stoppedAt.AddSeconds(-30), "Pedido aparcado durante una caída");
        await InsertRowAsync(new SmsMessage
        {
            RequestId = parked.RequestId, WorkspaceId = workspace.Id, AccountSid = workspace.AccountSid, ToNumber = parked.To, FromNumber = "+15005550006",
            Body = parked.Body, MediaUrls = [], Segments = 1, Encoding = "GSM-7", Status = "sending", State = SmsState.Parked,
            OriginKind = SmsOrigin.Automation, AutomationId = automationId, CreatedAt = stoppedAt.AddSeconds(-30), UpdatedAt = stoppedAt.AddSeconds(-30), SendFence = 1,
        });
        var later = From(workspace.Id, automationId, stoppedAt.AddSeconds(5), "Pedido después de activarla otra vez");

        await Task.WhenAll(Events.Bus.Publish(queued), Events.Bus.Publish(parked), Events.Bus.Publish(later));

        foreach (var request in new[] { queued, parked })
        {
            var skipped = await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == request.RequestId);
            Assert.That(skipped.Code, Is.EqualTo("automation_disabled"));
            Assert.That((await RowAsync(request.RequestId))!.Status, Is.EqualTo("skipped"));
        }
        await RowWhenAsync(later.RequestId, r => r.MessageSid is not null, "a request from after the stop is sent");
        Assert.That((await Emulator.CreateCallsAsync(workspace.AccountSid)).Select(c => c.To), Is.EqualTo(new[] { later.To }),
            "Twilio only got the request from after the stop");
    }

    [Test]
    public async Task An_sms_more_than_a_day_past_its_due_time_is_skipped_as_expired()
    {
        var workspace = await WorkspaceAsync();
        var stale = Request(workspace.Id, Phone(), "Tu pedido fue confirmado") with { RequestedAt = DateTimeOffset.UtcNow.AddHours(-25) };
        // Requested long ago but held by its send window until a moment ago: due now, so it leaves.
        var held = Request(workspace.Id, Phone(), "Promoción de hoy") with { RequestedAt = DateTimeOffset.UtcNow.AddHours(-30) };
        held = held with { DueAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

        await Events.Bus.Publish(stale);
        await Events.Bus.Publish(held);

        var skipped = await Events.WaitForAsync<SmsSkipped>(e => e.RequestId == stale.RequestId);
        Assert.That(skipped.Code, Is.EqualTo("expired"));
        Assert.That((await RowAsync(stale.RequestId))!.ErrorMessage, Is.EqualTo("expired"));
        await RowWhenAsync(held.RequestId, r => r.MessageSid is not null, "an SMS due a minute ago is sent");
        Assert.That((await Emulator.CreateCallsAsync(workspace.AccountSid)).Select(c => c.To), Is.EqualTo(new[] { held.To }));
    }
}
