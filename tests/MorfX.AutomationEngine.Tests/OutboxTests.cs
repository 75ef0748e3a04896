using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Outbox;
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
}
