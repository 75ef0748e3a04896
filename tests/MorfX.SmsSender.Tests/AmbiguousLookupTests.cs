using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Sending;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// The look-up of a create whose answer was lost, on what Twilio keeps (issue 32): each test leaves a request as an attempt
/// that crashed after posting it leaves it (recorded, "sending", its lease lapsed) with the message at Twilio, then delivers
/// the request again. The next attempt must find that message, not send a second one, and never take a message that may be
/// another request's.
/// </summary>
public class AmbiguousLookupTests
{
    [Test]
    public async Task A_request_recorded_by_an_instance_whose_clock_is_five_minutes_ahead_still_finds_its_message()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var request = Request(workspace.Id, to, "Tu pedido #1001 fue confirmado");
        // That instance wrote created_at on its own clock; the database and Twilio agree on the time.
        await RecordInterruptedAsync(workspace, request, instanceClock: DateTimeOffset.UtcNow.AddMinutes(5));
        var sid = await Emulator.CreateMessageAsync(workspace, to, request.Body, Callback(workspace, request));

        await Events.Bus.Publish(request);

        await AssertAdoptedAsync(workspace, request, sid);
    }

    [Test]
    public async Task A_body_twilio_kept_smart_encoded_is_still_found_and_not_sent_twice()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var request = Request(workspace.Id, to, "“Gracias” por tu compra — tu pedido’s en camino…");
        await RecordInterruptedAsync(workspace, request, instanceClock: DateTimeOffset.UtcNow);
        var sid = await Emulator.CreateMessageAsync(workspace, to, request.Body, Callback(workspace, request), smartEncoded: true);
        var kept = (await Emulator.MessagesToAsync(workspace.AccountSid, to)).Single();
        Assert.That(kept.Body, Is.EqualTo("\"Gracias\" por tu compra - tu pedido's en camino..."), "Twilio keeps the replaced body");

        await Events.Bus.Publish(request);

        await AssertAdoptedAsync(workspace, request, sid);
    }

    [Test]
    public async Task Two_messages_that_could_be_the_request_are_neither_adopted_nor_doubled_until_a_callback_tells_which()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var request = Request(workspace.Id, to, "Tu pedido #1003 fue enviado");
        await RecordInterruptedAsync(workspace, request, instanceClock: DateTimeOffset.UtcNow);
        // An older message with the same text that no row holds yet (another request's lost create), then this request's own.
        var other = await Emulator.CreateMessageAsync(workspace, to, request.Body, Callback(workspace, Request(workspace.Id, to, request.Body)));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var own = await Emulator.CreateMessageAsync(workspace, to, request.Body, Callback(workspace, request));

        await Events.Bus.Publish(request);

        // Twice the look-up window: long enough for a guess or a second create.
        await Consistently(async () => (await RowAsync(request.RequestId))!.MessageSid is null
                && (await Emulator.MessagesToAsync(workspace.AccountSid, to)).Count == 2,
            "neither message is taken and none is created while both could be the request's", TimeSpan.FromSeconds(4));
        await Events.Bus.Publish(new TwilioStatusReported(workspace.Id, own, "sent", null, workspace.AccountSid, DateTimeOffset.UtcNow, request.RequestId));

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the callback claims the request's own message");
        Assert.That(row.MessageSid, Is.EqualTo(own));
        Assert.That(own, Is.Not.EqualTo(other));
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(2), "sms-sender posted nothing");
    }

    [Test]
    public async Task A_request_whose_sid_write_failed_after_twilio_took_it_is_adopted_though_its_automation_was_stopped_meanwhile()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var request = Request(workspace.Id, to, "Tu pedido #1004 fue confirmado") with { RequestedAt = DateTimeOffset.UtcNow.AddSeconds(-10) };
        await RecordInterruptedAsync(workspace, request, instanceClock: DateTimeOffset.UtcNow);
        var sid = await Emulator.CreateMessageAsync(workspace, to, request.Body, Callback(workspace, request));
        // Stopped after Twilio took the message: the stop cannot take it back, so the request must not end "skipped".
        await StopAutomationAsync(workspace.Id, request.Origin.AutomationId!.Value, DateTimeOffset.UtcNow);

        await Events.Bus.Publish(request);

        await AssertAdoptedAsync(workspace, request, sid);
        Assert.That(Events.All<SmsSkipped>(e => e.RequestId == request.RequestId), Is.Empty);
    }

    /// <summary>The row as an attempt leaves it when it crashed after posting the create: recorded, sending, its lease lapsed.</summary>
    static Task RecordInterruptedAsync(TestWorkspace workspace, SmsRequested request, DateTimeOffset instanceClock)
    {
        var (encoding, segments) = SmsSegments.Calculate(request.Body);
        return InsertRowAsync(new SmsMessage
        {
            RequestId = request.RequestId, WorkspaceId = workspace.Id, AccountSid = workspace.AccountSid, ToNumber = request.To,
            FromNumber = workspace.From, Body = request.Body, Segments = segments, Encoding = encoding, Status = SmsStatuses.Sending,
            OriginKind = request.Origin.Kind, AutomationId = request.Origin.AutomationId, RunId = request.Origin.RunId,
            TriggerEventId = request.Origin.TriggerEventId, CreatedAt = instanceClock, UpdatedAt = instanceClock,
            SendLeaseUntil = DateTimeOffset.UtcNow.AddSeconds(-1), SendFence = 1,
        });
    }

    static string Callback(TestWorkspace workspace, SmsRequested request) =>
        new SendingOptions().StatusCallbackFor(workspace.Id, request.RequestId);

    /// <summary>The request got the message Twilio had, and Twilio still holds that one message only: sms-sender posted nothing.</summary>
    static async Task AssertAdoptedAsync(TestWorkspace workspace, SmsRequested request, string sid)
    {
        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message Twilio has is adopted");
        Assert.That(row.MessageSid, Is.EqualTo(sid));
        await Consistently(async () => (await Emulator.MessagesToAsync(workspace.AccountSid, request.To)).Count == 1,
            "Twilio must hold exactly one message for the request", TimeSpan.FromSeconds(3));
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(1), "sms-sender posted nothing");
    }
}
