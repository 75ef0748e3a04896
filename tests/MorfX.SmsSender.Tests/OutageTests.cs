using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>An outage longer than the consumer's in-process retries: the request waits in sms-sender, not in an _error queue.</summary>
public class OutageTests
{
    const string ErrorQueue = "sms-sender-sms-requested_error";

    [Test]
    public async Task A_request_config_api_cannot_answer_past_the_retries_waits_and_is_sent_once_when_it_is_back()
    {
        var workspace = await WorkspaceAsync(); // its credentials have never been looked up, so nothing is cached
        var errorsBefore = (await TestInfrastructure.ErrorQueueMessagesAsync()).GetValueOrDefault(ErrorQueue);
        var request = Request(workspace.Id, Phone(), "Tu pedido va en camino");

        await StopConfigApiAsync();
        try
        {
            await Events.Bus.Publish(request);
            var parked = await Eventually.Get(() => DeferredAsync(request.RequestId), d => d is { Deferrals: >= 2 }, TimeSpan.FromSeconds(90),
                "parked once after the in-process retries, then again at once when handed back");
            TestContext.Out.WriteLine($"parked {parked!.Deferrals} times: {parked.Reason}");
            Assert.That(await RowAsync(request.RequestId), Is.Null, "nothing recorded as sent or failed while the credentials are unknown");
        }
        finally { await StartConfigApiAsync(); }

        await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "sent once config-api answers again");
        await Consistently(async () => (await Emulator.MessagesAsync(workspace.AccountSid)).Count == 1, "exactly one message at Twilio");
        Assert.That(await DeferredAsync(request.RequestId), Is.Null, "no longer waiting");
        Assert.That((await TestInfrastructure.ErrorQueueMessagesAsync()).GetValueOrDefault(ErrorQueue), Is.EqualTo(errorsBefore),
            "nothing in the _error queue for a person to replay");
    }

    static async Task<DeferredSmsRequest?> DeferredAsync(Guid requestId)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        return await db.DeferredRequests.AsNoTracking().FirstOrDefaultAsync(d => d.RequestId == requestId);
    }
}
