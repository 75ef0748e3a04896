using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>
/// A Shopify customer (or shop) was redacted: its messages keep their count, status and cost, and lose their number
/// and text (the API then shows the number masked). Later events cannot bring them back: the upsert keeps the first
/// non-null value.
/// </summary>
public sealed class SmsRecipientsRedactedConsumer(UsageDbContext db) : IConsumer<SmsRecipientsRedacted>
{
    public async Task Consume(ConsumeContext<SmsRecipientsRedacted> context)
    {
        var m = context.Message;
        Guid[] ids = [.. m.RequestIds];
        string[] phones = [.. m.Phones];
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE sms_usage SET to_number = {SmsRecipientsRedacted.ErasedNumber}, body = '', updated_at = now()
            WHERE workspace_id = {m.WorkspaceId} AND (request_id = ANY({ids}) OR to_number = ANY({phones}))
            """, context.CancellationToken);
    }
}
