using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Consumers;

/// <summary>A Shopify customer data request: reports the messages sent to that customer (by request id or phone) to config-api.</summary>
public sealed class CustomerSmsDataRequestedConsumer(SmsDbContext db) : IConsumer<CustomerSmsDataRequested>
{
    public async Task Consume(ConsumeContext<CustomerSmsDataRequested> context)
    {
        var m = context.Message;
        var ids = m.RequestIds.ToList();
        var phones = m.Phones.ToList();
        var messages = await db.Messages.AsNoTracking()
            .Where(x => x.WorkspaceId == m.WorkspaceId && (ids.Contains(x.RequestId) || phones.Contains(x.ToNumber)))
            .OrderBy(x => x.CreatedAt)
            .Select(x => new { x.RequestId, x.MessageSid, to = x.ToNumber, x.Body, x.MediaUrls, x.Status, x.CreatedAt, x.SentAt })
            .ToListAsync(context.CancellationToken);
        await context.Publish(new CustomerDataReported(m.RequestId, m.WorkspaceId, "sms-sender",
            JsonSerializer.Serialize(new { messages }, JsonSerializerOptions.Web), DateTimeOffset.UtcNow), context.CancellationToken);
    }
}
