using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Sending;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

public class SmsSendingTests
{
    [TearDown]
    public Task ClearFaults() => Emulator.ClearFaultsAsync();

    [Test]
    public async Task One_request_becomes_one_message_with_its_body_and_media()
    {
        var workspace = await WorkspaceAsync();
        var to = Phone();
        var request = Request(workspace.Id, to, "Hola Ana, tu pedido #1001 ya salió. ¡Gracias!",
            "https://cdn.example.com/factura.png", "https://cdn.example.com/guia.pdf");

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent");
        var messages = await Emulator.MessagesAsync(workspace.AccountSid);
        Assert.That(messages, Has.Count.EqualTo(1));
        var message = messages[0];
        Assert.Multiple(() =>
        {
            Assert.That(message.Sid, Is.EqualTo(row.MessageSid));
            Assert.That(message.Sid, Does.StartWith("MM").And.Length.EqualTo(34));
            Assert.That(message.To, Is.EqualTo(to));
            Assert.That(message.From, Is.EqualTo(workspace.From));
            Assert.That(message.Body, Is.EqualTo(request.Body));
            Assert.That(message.MediaUrls, Is.EqualTo(request.MediaUrls));
            Assert.That(message.StatusCallback, Does.EndWith($"/webhooks/twilio/status/{workspace.Id}?r={request.RequestId:N}"),
                "our marker rides in the callback URL, so a callback can claim the sid of a create whose answer was lost");
            Assert.That(row.Status, Is.EqualTo("queued"));
            Assert.That(row.Encoding, Is.EqualTo("UCS-2"), "á and ¡ are outside GSM-7");
            Assert.That(row.Segments, Is.EqualTo(1));
            Assert.That(row.OriginKind, Is.EqualTo(SmsOrigin.Automation));
            Assert.That(row.AutomationId, Is.EqualTo(request.Origin.AutomationId));
        });
        var sent = await Events.WaitForAsync<SmsSent>(e => e.RequestId == request.RequestId);
        Assert.That(sent.MessageSid, Is.EqualTo(row.MessageSid));
        Assert.That(sent.MediaCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Same_request_delivered_three_times_sends_one_message()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu codigo de descuento es MORFX10");

        await Task.WhenAll(Events.Bus.Publish(request), Events.Bus.Publish(request), Events.Bus.Publish(request));

        await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent");
        await Consistently(async () => (await Emulator.CreateCallsAsync(workspace.AccountSid)).Count == 1,
            "the redeliveries must not reach Twilio again");
        Assert.That(await Emulator.MessagesAsync(workspace.AccountSid), Has.Count.EqualTo(1));
        // A redelivery re-announces the outcome (its first announcement may have been lost with the broker): same sid every time.
        var sent = Events.All<SmsSent>(e => e.RequestId == request.RequestId);
        Assert.That(sent, Is.Not.Empty);
        Assert.That(sent.Select(e => e.MessageSid).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Redelivered_request_that_was_already_sent_announces_it_again_without_calling_twilio()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu pedido #1002 fue enviado");
        await Events.Bus.Publish(request);
        var first = await Events.WaitForAsync<SmsSent>(e => e.RequestId == request.RequestId);
        var announced = Events.All<SmsSent>(e => e.RequestId == request.RequestId).Count;

        // The broker hands the request over again, as after a lost acknowledgement: its SmsSent may have been lost too.
        await Events.Bus.Publish(request);

        await Eventually.Get(() => Task.FromResult(Events.All<SmsSent>(e => e.RequestId == request.RequestId).Count),
            count => count > announced, TimeSpan.FromSeconds(30), "the redelivery announces SmsSent again");
        Assert.That(Events.All<SmsSent>(e => e.RequestId == request.RequestId).Select(e => e.MessageSid).Distinct(), Is.EqualTo(new[] { first.MessageSid }));
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(1), "Twilio is not called again");
    }

    [Test]
    public async Task Rate_limited_create_is_retried_and_sends_one_message()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Recordatorio: tu cita es manana a las 10");
        await Emulator.FailNextCreatesAsync(429, 1);

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent after the 429");
        var calls = await Emulator.CreateCallsAsync(workspace.AccountSid);
        Assert.That(calls.Select(c => c.Status), Is.EqualTo(new[] { 429, 201 }));
        Assert.That(calls[1].Sid, Is.EqualTo(row.MessageSid));
        Assert.That(await Emulator.MessagesAsync(workspace.AccountSid), Has.Count.EqualTo(1));
    }

    /// <summary>
    /// A 5xx on create is ambiguous: it is not posted again until a look-up at Twilio has found no such message for the
    /// whole ambiguous window (2 s here). These 503s come before Twilio creates anything, so it is then sent again.
    /// </summary>
    [Test]
    public async Task Server_errors_are_sent_again_only_once_twilio_provably_has_no_message()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu pedido va en camino");
        await Emulator.FailNextCreatesAsync(503, 2);

        await Events.Bus.Publish(request);

        await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent after two 503s");
        var calls = await Emulator.CreateCallsAsync(workspace.AccountSid);
        Assert.That(calls.Select(c => c.Status), Is.EqualTo(new[] { 503, 503, 201 }));
        Assert.That(await Emulator.MessagesAsync(workspace.AccountSid), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Twilio_down_longer_than_the_call_retries_is_retried_by_the_consumer_and_sends_once()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu pedido esta listo para recoger");
        // More failures than one delivery's creates (Sending:MaxCreates, 3): the consumer's own retry has to finish the job.
        await Emulator.FailNextCreatesAsync(500, 6);

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent once Twilio recovers");
        var calls = await Emulator.CreateCallsAsync(workspace.AccountSid);
        Assert.That(calls.Count(c => c.Status == 500), Is.EqualTo(6));
        Assert.That(calls.Where(c => c.Status == 201).Select(c => c.Sid), Is.EqualTo(new[] { row.MessageSid }));
        Assert.That(await Emulator.MessagesAsync(workspace.AccountSid), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Invalid_number_fails_without_retry()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, "+15005550001", "Hola");

        await Events.Bus.Publish(request);

        var failed = await Events.WaitForAsync<SmsFailed>(e => e.RequestId == request.RequestId);
        Assert.That(failed.ErrorCode, Is.EqualTo(21211));
        Assert.That(failed.MessageSid, Is.Null);
        var row = await RowAsync(request.RequestId);
        Assert.That(row!.Status, Is.EqualTo("failed"));
        Assert.That(row.ErrorCode, Is.EqualTo(21211));
        await Consistently(async () => (await Emulator.CreateCallsAsync(workspace.AccountSid)).Count == 1,
            "a permanent error is never retried");
        Assert.That(await Emulator.MessagesAsync(workspace.AccountSid), Is.Empty);
    }

    [Test]
    public async Task Rejected_credentials_are_flagged_and_the_request_fails()
    {
        var workspace = await WorkspaceAsync(storedToken: "a-token-twilio-does-not-know");
        var request = Request(workspace.Id, Phone(), "Hola");

        await Events.Bus.Publish(request);

        var rejected = await Events.WaitForAsync<TwilioCredentialsRejected>(e => e.WorkspaceId == workspace.Id);
        Assert.That(rejected.ErrorCode, Is.EqualTo(20003));
        var failed = await Events.WaitForAsync<SmsFailed>(e => e.RequestId == request.RequestId);
        Assert.That(failed.ErrorCode, Is.EqualTo(20003));
        await Consistently(async () => (await Emulator.CreateCallsAsync(workspace.AccountSid)).Count == 1,
            "an authentication failure is never retried");
    }

    [Test]
    public async Task Workspace_without_twilio_gets_sms_failed_not_configured()
    {
        var request = Request(Guid.NewGuid(), Phone(), "Hola");

        await Events.Bus.Publish(request);

        var failed = await Events.WaitForAsync<SmsFailed>(e => e.RequestId == request.RequestId);
        Assert.That(failed.ErrorMessage, Is.EqualTo(SmsDispatcher.NotConfiguredError));
        Assert.That((await RowAsync(request.RequestId))!.Status, Is.EqualTo("failed"));
    }

    [Test]
    public async Task Request_interrupted_after_twilio_accepted_it_adopts_the_message_instead_of_sending_again()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu factura esta lista");
        // The state a crash leaves behind: recorded, Twilio called and accepting, sid never stored, lease lapsed.
        await InsertRowAsync(Interrupted(request, workspace));
        var accepted = await CreateAtTwilioAsync(workspace, request);

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the interrupted request is resolved");
        Assert.That(row.MessageSid, Is.EqualTo(accepted));
        await Consistently(async () => (await Emulator.MessagesAsync(workspace.AccountSid)).Count == 1, "the message must not be sent twice");
        Assert.That((await Events.WaitForAsync<SmsSent>(e => e.RequestId == request.RequestId)).MessageSid, Is.EqualTo(accepted));
    }

    [Test]
    public async Task Request_interrupted_before_twilio_accepted_it_is_sent_once()
    {
        var workspace = await WorkspaceAsync();
        var request = Request(workspace.Id, Phone(), "Tu factura esta lista");
        await InsertRowAsync(Interrupted(request, workspace));

        await Events.Bus.Publish(request);

        var row = await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the interrupted request is sent");
        var messages = await Emulator.MessagesAsync(workspace.AccountSid);
        Assert.That(messages.Select(m => m.Sid), Is.EqualTo(new[] { row.MessageSid }));
    }

    static SmsMessage Interrupted(SmsRequested request, TestWorkspace workspace)
    {
        var recordedAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        return new SmsMessage
        {
            RequestId = request.RequestId, WorkspaceId = workspace.Id, AccountSid = workspace.AccountSid,
            ToNumber = request.To, FromNumber = workspace.From, Body = request.Body, MediaUrls = [], Segments = 1,
            Encoding = "GSM-7", Status = "sending", OriginKind = SmsOrigin.Automation,
            CreatedAt = recordedAt, UpdatedAt = recordedAt, SendLeaseUntil = recordedAt.AddSeconds(1),
        };
    }

    /// <summary>What the interrupted attempt had done at Twilio: the create call, straight on the wire.</summary>
    static async Task<string> CreateAtTwilioAsync(TestWorkspace workspace, SmsRequested request)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, $"/2010-04-01/Accounts/{workspace.AccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", request.To), new("From", workspace.From), new("Body", request.Body)]),
        };
        create.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{workspace.AccountSid}:{workspace.AuthToken}")));
        using var response = await Emulator.Http.SendAsync(create);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("sid").GetString()!;
    }
}
