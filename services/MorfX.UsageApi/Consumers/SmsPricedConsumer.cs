using MassTransit;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>SmsPriced in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>): the whole batch merged in one transaction and round trip.</summary>
public sealed class SmsPricedConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsPriced>>
{
    public Task Consume(ConsumeContext<Batch<SmsPriced>> context) =>
        // Idempotent by construction: a price once set stays, so a redelivery changes nothing. The price may also
        // arrive before SmsSent; the row is created then and completed when SmsSent comes.
        writer.ApplyAsync([.. context.Message.Select(c => SmsUsageChange.From(c.Message))], context.CancellationToken);
}
