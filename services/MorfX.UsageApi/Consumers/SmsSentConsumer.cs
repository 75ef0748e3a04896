using MassTransit;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>SmsSent in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>): the whole batch merged in one transaction and round trip.</summary>
public sealed class SmsSentConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsSent>>
{
    public Task Consume(ConsumeContext<Batch<SmsSent>> context) =>
        // Idempotent by construction: the upsert on RequestId merges order-independently, so a redelivery changes nothing.
        writer.ApplyAsync([.. context.Message.Select(c => c.Message).Select(m => new SmsUsageChange(m.RequestId, m.WorkspaceId, m.SentAt)
        {
            AutomationId = m.AutomationId,
            MessageSid = m.MessageSid,
            To = m.To,
            Body = m.Body,
            Status = m.Status,
            Segments = m.Segments,
        })], context.CancellationToken);
}
