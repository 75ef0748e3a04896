using System.Diagnostics;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// PostgreSQL stopped under sms-sender (decision 0032): what arrives meanwhile waits for it, nothing lands in an _error queue,
/// and a send whose sid could not be written is resolved at Twilio, not left "sending" or sent twice.
/// </summary>
public class DatabaseOutageTests
{
    static readonly TimeSpan AfterOutage = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Requests_and_status_reports_that_arrive_while_PostgreSQL_is_down_past_the_quick_retries_are_handled_once_it_is_back()
    {
        var workspace = await WorkspaceAsync();
        // Sent before the outage: their credentials are looked up and their sids known, so the outage gets status reports for them.
        var (earlier, sids) = await SentMessagesAsync(workspace, 5);
        // A workspace never looked up before: its credentials come from config-api, whose database is down too.
        var newcomer = await WorkspaceAsync();
        var requests = Enumerable.Range(1, 20).Select(i => Request(i % 2 == 0 ? workspace.Id : newcomer.Id, Phone(), $"Pedido {i} confirmado")).ToList();
        var errorsBefore = await ErrorMessagesAsync();

        await TestInfrastructure.StopPostgresAsync();
        try
        {
            await Task.WhenAll(requests.Select(r => Events.Bus.Publish(r)));
            await Task.WhenAll(sids.Select(sid => Events.Bus.Publish(
                new TwilioStatusReported(workspace.Id, sid, "delivered", null, workspace.AccountSid, DateTimeOffset.UtcNow))));
            await Task.Delay(TestInfrastructure.DatabaseOutage);
        }
        finally { await TestInfrastructure.StartPostgresAsync(); }

        foreach (var request in requests) await RowAfterOutageAsync(request.RequestId, r => r.MessageSid is not null, "sent once PostgreSQL is back");
        foreach (var request in earlier) await RowAfterOutageAsync(request.RequestId, r => r.Status == "delivered", "the status report is applied");
        await Consistently(async () => (await AtTwilioAsync(workspace, newcomer)).Count == 25, "one message at Twilio per request, none doubled");
        Assert.That((await AtTwilioAsync(workspace, newcomer)).Select(m => m.To), Is.EquivalentTo(earlier.Concat(requests).Select(r => r.To)),
            "every request reached its own recipient");
        Assert.That(await ErrorMessagesAsync(), Is.EqualTo(errorsBefore), "nothing in an _error queue for a person to replay");
    }

    [Test]
    public async Task A_send_whose_sid_could_not_be_written_while_PostgreSQL_was_down_ends_sent_with_twilios_sid_once()
    {
        var workspace = await WorkspaceAsync();
        await SentMessagesAsync(workspace, 1); // the credentials are looked up before the outage
        var to = Phone();
        // Longer than the in-process retries (with EF's own) last. Twilio creates the message at once and answers 201 after 4.5 s (within the 5 s attempt timeout): by then PostgreSQL is down.
        await Emulator.ScenarioAsync(to, Scenarios.Slow, delayMs: 4500, count: 1);
        var request = Request(workspace.Id, to, "Tu pedido #2001 fue confirmado");
        var errorsBefore = await ErrorMessagesAsync();

        await Events.Bus.Publish(request);
        var message = (await Eventually.Get(() => Emulator.MessagesToAsync(workspace.AccountSid, to), m => m.Count == 1,
            TimeSpan.FromSeconds(20), "Twilio has the message"))[0];
        var clock = Stopwatch.StartNew();
        await TestInfrastructure.StopPostgresAsync();
        try
        {
            Assume.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "PostgreSQL was down before Twilio's answer arrived");
            await Task.Delay(TestInfrastructure.DatabaseOutage);
        }
        finally { await TestInfrastructure.StartPostgresAsync(); }

        var row = await RowAfterOutageAsync(request.RequestId, r => r.MessageSid is not null, "the message Twilio accepted is found and its sid written");
        Assert.That(row.MessageSid, Is.EqualTo(message.Sid));
        await Consistently(async () => (await Emulator.MessagesToAsync(workspace.AccountSid, to)).Count == 1, "not sent twice", TimeSpan.FromSeconds(3));
        Assert.That(await Emulator.CreateCallsAsync(workspace.AccountSid), Has.Count.EqualTo(2), "one create for the warm-up, one for this request");
        var sent = await Events.WaitForAsync<SmsSent>(e => e.RequestId == request.RequestId);
        Assert.That(sent.MessageSid, Is.EqualTo(message.Sid));
        Assert.That(await ErrorMessagesAsync(), Is.EqualTo(errorsBefore), "nothing in an _error queue");
    }

    static async Task<List<ReceivedMessage>> AtTwilioAsync(params TestWorkspace[] workspaces)
    {
        var messages = new List<ReceivedMessage>();
        foreach (var workspace in workspaces) messages.AddRange(await Emulator.MessagesAsync(workspace.AccountSid));
        return messages;
    }

    static async Task<SmsMessage> RowAfterOutageAsync(Guid requestId, Func<SmsMessage, bool> done, string because) =>
        (await Eventually.Get(() => RowAsync(requestId), r => r is not null && done(r), AfterOutage, because))!;

    static async Task<int> ErrorMessagesAsync() => (await TestInfrastructure.ErrorQueueMessagesAsync()).Values.Sum();
}
