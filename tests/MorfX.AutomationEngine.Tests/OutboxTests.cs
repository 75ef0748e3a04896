using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

public class OutboxTests
{
    [Test]
    public async Task A_message_whose_publish_was_missed_is_published_later_by_the_dispatcher()
    {
        // What a consumer leaves behind when the broker goes away between its commit and its publish.
        var workspaceId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        var sms = new SmsRequested(requestId, workspaceId, "+573001112233", "Orden #1001 confirmada", [],
            new SmsOrigin(SmsOrigin.Automation, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), DateTimeOffset.UtcNow);
        await QueryAsync(async db =>
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = requestId, MessageType = nameof(SmsRequested), Body = JsonSerializer.Serialize(sms), CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            return await db.SaveChangesAsync();
        });

        var published = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "dispatched SmsRequested");

        Assert.That((published.Single().RequestId, published.Single().Body), Is.EqualTo((requestId, "Orden #1001 confirmada")));
        // The dispatcher publishes, then commits sent_at: the message can be seen a moment before the row is marked.
        var row = await Eventually.Get(() => QueryAsync(db => db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == requestId)),
            r => r?.SentAt is not null, TimeSpan.FromSeconds(10), "the row marked sent");
        Assert.That(row!.SentAt, Is.Not.Null);
    }

    [Test]
    public async Task A_row_that_cannot_be_published_is_parked_and_holds_back_none_of_the_rows_behind_it()
    {
        // The oldest row first, as the dispatcher reads them: one it cannot read (a body of another shape), then three good ones.
        var workspaceId = Guid.NewGuid();
        var poisonId = Guid.NewGuid();
        var created = DateTimeOffset.UtcNow.AddMinutes(-1);
        var good = Enumerable.Range(1, 3).Select(i => new SmsRequested(Guid.NewGuid(), workspaceId, "+573001112233", $"Orden #{1000 + i}", [],
            new SmsOrigin(SmsOrigin.Automation, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), DateTimeOffset.UtcNow)).ToList();
        await QueryAsync(async db =>
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = poisonId, MessageType = nameof(SmsRequested), Body = """{"RequestId": "not-a-guid"}""", CreatedAt = created,
            });
            foreach (var (sms, i) in good.Select((s, i) => (s, i)))
                db.OutboxMessages.Add(new OutboxMessage
                {
                    Id = sms.RequestId, MessageType = nameof(SmsRequested), Body = JsonSerializer.Serialize(sms), CreatedAt = created.AddMilliseconds(i + 1),
                });
            return await db.SaveChangesAsync();
        });

        var rows = await Eventually.Get(() => QueryAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Id == poisonId || good.Select(g => g.RequestId).Contains(m.Id)).ToListAsync()),
            r => r.Count(m => m.SentAt is not null) == 3 && r.Any(m => m.ParkedReason is not null), TimeSpan.FromSeconds(15), "three rows sent and one parked");

        var poison = rows.Single(r => r.Id == poisonId);
        Assert.That(poison.SentAt, Is.Null);
        Assert.That(poison.ParkedReason, Does.Contain("JsonException"), "the reason, for ops");
        // Several more passes: the good rows went out once each, and the parked one is not tried again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(SmsFor(workspaceId).Select(s => s.Body).Order(), Is.EqualTo(new[] { "Orden #1001", "Orden #1002", "Orden #1003" }));
        var again = await QueryAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == poisonId));
        Assert.That(again.Attempts, Is.EqualTo(1));
    }
}
