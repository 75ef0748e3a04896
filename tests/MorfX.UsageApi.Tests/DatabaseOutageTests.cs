using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.UsageApi.Tests.UsageApiFixture;

namespace MorfX.UsageApi.Tests;

/// <summary>PostgreSQL stopped under usage-api (decision 0032): what sms-sender announces meanwhile waits for it, not in an _error queue.</summary>
public class DatabaseOutageTests
{
    [Test]
    public async Task Sends_statuses_and_prices_announced_while_PostgreSQL_is_down_past_the_quick_retries_are_counted_once_it_is_back()
    {
        var ws = Guid.NewGuid();
        var now = Now();
        var requests = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var errorsBefore = (await TestInfrastructure.ErrorQueueMessagesAsync()).Values.Sum();

        await TestInfrastructure.StopPostgresAsync();
        try
        {
            await PublishWithoutWaitingAsync([.. requests.Select((id, i) => (object)Sent(ws, id, now.AddMinutes(-30 + i)))]);
            await PublishWithoutWaitingAsync([.. requests.Select((id, i) => (object)SmsActivity.Of(Status(ws, id, "delivered", now.AddMinutes(-20 + i))))]);
            await PublishWithoutWaitingAsync([.. requests.Select((id, i) => (object)Priced(ws, id, 0.0079m, now.AddMinutes(-10 + i)))]);
            await Task.Delay(TestInfrastructure.DatabaseOutage);
        }
        finally { await TestInfrastructure.StartPostgresAsync(); }

        var day = await Eventually.Get(() => SummaryAsync(Client(ws), "day"), s => s.TotalCost == 0.079m && s.Messages.All(m => m.Status == "delivered"),
            TimeSpan.FromMinutes(2), "every send, status and price counted");
        Assert.That((day.TotalSent, day.PendingCount), Is.EqualTo((10, 0)));
        Assert.That(day.Messages.Select(m => m.RequestId), Is.EquivalentTo(requests));
        Assert.That((await TestInfrastructure.ErrorQueueMessagesAsync()).Values.Sum(), Is.EqualTo(errorsBefore), "nothing in an _error queue");
    }
}
