using MorfX.ServiceDefaults.Messaging;
using MassTransit;
using MorfX.Contracts;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

public sealed class SmsFailedConsumer(SmsUsageWriter writer) : IConsumer<SmsFailed>
{
    public Task Consume(ConsumeContext<SmsFailed> context)
    {
        // Idempotent by construction: the upsert on RequestId merges order-independently, so a redelivery changes nothing.
        var m = context.Message;
        return writer.ApplyAsync(new SmsUsageChange(m.RequestId, m.WorkspaceId, m.FailedAt)
        {
            AutomationId = m.AutomationId,
            MessageSid = m.MessageSid,
            To = m.To,
            Body = m.Body,
            Status = SmsStatuses.Failed,
        }, context.CancellationToken);
    }
}
