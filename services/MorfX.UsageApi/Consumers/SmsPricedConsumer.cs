using MassTransit;
using MorfX.Contracts;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

public sealed class SmsPricedConsumer(SmsUsageWriter writer) : IConsumer<SmsPriced>
{
    public Task Consume(ConsumeContext<SmsPriced> context)
    {
        // Idempotent by construction: a price once set stays, so a redelivery changes nothing. The price may also
        // arrive before SmsSent; the row is created then and completed when SmsSent comes.
        var m = context.Message;
        return writer.ApplyAsync(new SmsUsageChange(m.RequestId, m.WorkspaceId, m.PricedAt)
        {
            MessageSid = m.MessageSid,
            Cost = m.Cost,
            PriceUnit = m.PriceUnit,
        }, context.CancellationToken);
    }
}
