using MassTransit;
using MorfX.Contracts;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

public sealed class SmsStatusChangedConsumer(SmsUsageWriter writer) : IConsumer<SmsStatusChanged>
{
    public Task Consume(ConsumeContext<SmsStatusChanged> context)
    {
        // Idempotent by construction: the status only moves up its rank, so a repeated or older callback changes nothing.
        var m = context.Message;
        return writer.ApplyAsync(new SmsUsageChange(m.RequestId, m.WorkspaceId, m.ChangedAt)
        {
            MessageSid = m.MessageSid,
            Status = m.Status,
        }, context.CancellationToken);
    }
}
