using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>
/// A Shopify customer data request: usage-api keeps the recipients' numbers and texts too, so it reports the usage of the
/// customer's messages (by request id or phone) to config-api, as sms-sender reports the messages. Idempotent: a repeated
/// report replaces the earlier one.
/// </summary>
public sealed class CustomerSmsDataRequestedConsumer(UsageDbContext db) : IConsumer<CustomerSmsDataRequested>
{
    public const string Service = "usage-api";

    public async Task Consume(ConsumeContext<CustomerSmsDataRequested> context)
    {
        var m = context.Message;
        var ids = m.RequestIds.ToList();
        var phones = m.Phones.ToList();
        var usage = await db.Messages.AsNoTracking()
            .Where(x => x.WorkspaceId == m.WorkspaceId && (ids.Contains(x.RequestId) || (x.ToNumber != null && phones.Contains(x.ToNumber))))
            .OrderBy(x => x.SentAt)
            .Select(x => new { x.RequestId, x.MessageSid, to = x.ToNumber, x.Body, x.Status, x.Segments, x.Cost, x.PriceUnit, x.SentAt })
            .ToListAsync(context.CancellationToken);
        await context.Publish(new CustomerDataReported(m.RequestId, m.WorkspaceId, Service,
            JsonSerializer.Serialize(new { usage }, JsonSerializerOptions.Web), DateTimeOffset.UtcNow), context.CancellationToken);
    }
}
