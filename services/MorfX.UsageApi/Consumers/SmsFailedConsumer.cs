using MassTransit;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>SmsFailed in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>): the whole batch merged in one transaction and round trip.</summary>
public sealed class SmsFailedConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsFailed>>
{
    public Task Consume(ConsumeContext<Batch<SmsFailed>> context) =>
        // Idempotent by construction: the upsert on RequestId merges order-independently, so a redelivery changes nothing.
        writer.ApplyAsync([.. context.Message.Select(c => c.Message).Select(m => new SmsUsageChange(m.RequestId, m.WorkspaceId, m.FailedAt)
        {
            AutomationId = m.AutomationId,
            MessageSid = m.MessageSid,
            To = m.To,
            Body = m.Body,
            Status = SmsStatuses.Failed,
        })], context.CancellationToken);
}
