using System.Diagnostics;
using MorfX.Contracts;
using MorfX.SmsSender.Sending;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// Twilio's hard cases, each selected for one recipient at the emulator, with two sms-sender instances consuming the same
/// queue: whatever the create's answer (late, a 5xx, a reset, none), one request is one message at Twilio.
/// </summary>
public class AmbiguousOutcomeTests
{
    [Test]
    public async Task Twilio_answering_201_only_after_8_seconds_gets_exactly_one_message()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        // The stand-in of the issue: the message exists at once, its 201 arrives after 8 s (our per-attempt timeout is 5 s).
        await Emulator.ScenarioAsync(to, Scenarios.Slow, delayMs: 8000);
        var request = Request(workspace.Id, to, "Tu pedido #1001 fue confirmado");
        var clock = Stopwatch.StartNew();

        // Delivered twice, so both instances take part.
        await Task.WhenAll(Events.Bus.Publish(request), Events.Bus.Publish(request));

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the late message is adopted");
        TestContext.Out.WriteLine($"resolved after {clock.Elapsed.TotalSeconds:0.0} s");
        await AssertOneMessageAsync(workspace, to, row.MessageSid!, window: TimeSpan.FromSeconds(9));
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(1), "the create was never posted again");
        var sent = await Events.WaitForAsync<SmsSent>(e => e.RequestId == request.RequestId);
        Assert.That(sent.MessageSid, Is.EqualTo(row.MessageSid));
    }

    [TestCase(500)]
    [TestCase(502)]
    public async Task Server_error_after_twilio_created_the_message_adopts_it_instead_of_posting_again(int status)
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await Emulator.ScenarioAsync(to, Scenarios.ErrorAfterCreate, status: status, count: 1);
        var request = Request(workspace.Id, to, "Tu pago fue recibido");

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the created message is adopted");
        await AssertOneMessageAsync(workspace, to, row.MessageSid!);
        Assert.That((await Emulator.CreateCallsAsync(workspace.AccountSid)).Select(c => c.Status), Is.EqualTo(new[] { status }));
    }

    [Test]
    public async Task A_create_answered_500_is_not_posted_again_while_twilio_cannot_say_whether_it_has_the_message()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        // Twilio created the message, answered 500, and its list endpoint fails for 6 s: three times the ambiguity window.
        await Emulator.ScenarioAsync(to, Scenarios.ErrorAfterCreate, status: 500, count: 1, lookupsDownMs: 6000);
        var request = Request(workspace.Id, to, "Tu pedido #1002 fue enviado");

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is adopted once Twilio answers again");
        await AssertOneMessageAsync(workspace, to, row.MessageSid!);
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(1), "failed look-ups never led to a second create");
    }

    [Test]
    public async Task Connection_reset_after_twilio_created_the_message_adopts_it_instead_of_posting_again()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await Emulator.ScenarioAsync(to, Scenarios.ResetAfterCreate, count: 1);
        var request = Request(workspace.Id, to, "Tu pedido va en camino");

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the created message is adopted");
        await AssertOneMessageAsync(workspace, to, row.MessageSid!);
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task First_status_callback_claims_the_sid_while_the_create_answer_is_still_late()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        await Emulator.ScenarioAsync(to, Scenarios.Slow, delayMs: 8000);
        var request = Request(workspace.Id, to, "Tu factura esta lista");
        var clock = Stopwatch.StartNew();

        await Events.Bus.Publish(request);
        var message = (await Eventually.Get(() => Emulator.MessagesToAsync(workspace.AccountSid, to), m => m.Count == 1,
            TimeSpan.FromSeconds(10), "Twilio has the message"))[0];
        // What webhook-ingest publishes for Twilio's first callback: our marker (?r=) comes back in the URL Twilio calls.
        Assert.That(message.StatusCallback, Does.Contain($"?{SendingOptions.RequestMarker}={request.RequestId:N}"));
        await Events.Bus.Publish(new TwilioStatusReported(
            workspace.Id, message.Sid, "sent", null, workspace.AccountSid, DateTimeOffset.UtcNow, request.RequestId));

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the callback claims the sid");
        TestContext.Out.WriteLine($"claimed after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "claimed before Twilio's answer arrived");
        Assert.That(row.MessageSid, Is.EqualTo(message.Sid));
        await RowWhenAsync(request.RequestId, r => r.Status == "sent", "the callback's status is applied too");
        await AssertOneMessageAsync(workspace, to, message.Sid, window: TimeSpan.FromSeconds(9));
        Assert.That(Events.All<SmsSent>(e => e.RequestId == request.RequestId).Select(e => e.MessageSid).Distinct(), Is.EqualTo(new[] { message.Sid }));
    }

    static async Task AssertOneMessageAsync(TestWorkspace workspace, string to, string sid, TimeSpan? window = null)
    {
        await Consistently(async () => (await Emulator.MessagesToAsync(workspace.AccountSid, to)).Count == 1,
            "Twilio must hold exactly one message for the request", window);
        Assert.That((await Emulator.MessagesToAsync(workspace.AccountSid, to)).Single().Sid, Is.EqualTo(sid));
    }
}
