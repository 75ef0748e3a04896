using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// A Shopify customer (or shop) was redacted: the recipient number, text and media of its messages are erased; the
/// message, its status and its price stay, so counts and costs do not change. Idempotent: erasing twice is the same.
/// </summary>
public sealed class SmsRecipientsRedactedConsumer(SmsDbContext db) : IConsumer<SmsRecipientsRedacted>
{
    public async Task Consume(ConsumeContext<SmsRecipientsRedacted> context)
    {
        var m = context.Message;
        Guid[] ids = [.. m.RequestIds];
        string[] phones = [.. m.Phones];
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE sms_messages SET to_number = {SmsRecipientsRedacted.ErasedNumber}, body = '', media_urls = ARRAY[]::text[], updated_at = now()
            WHERE workspace_id = {m.WorkspaceId} AND (request_id = ANY({ids}) OR to_number = ANY({phones}))
            """, context.CancellationToken);
    }
}
