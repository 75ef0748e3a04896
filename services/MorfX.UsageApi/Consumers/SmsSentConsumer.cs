using MassTransit;
using MorfX.Contracts;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

public sealed class SmsSentConsumer(SmsUsageWriter writer) : IConsumer<SmsSent>
{
    public Task Consume(ConsumeContext<SmsSent> context)
    {
        // Idempotent by construction: the upsert on RequestId merges order-independently, so a redelivery changes nothing.
        var m = context.Message;
        return writer.ApplyAsync(new SmsUsageChange(m.RequestId, m.WorkspaceId, m.SentAt)
        {
            AutomationId = m.AutomationId,
            MessageSid = m.MessageSid,
            To = m.To,
            Body = m.Body,
            Status = m.Status,
            Segments = m.Segments,
        }, context.CancellationToken);
    }
}
