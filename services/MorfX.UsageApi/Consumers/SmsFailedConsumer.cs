using MassTransit;
using MorfX.Contracts;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>SmsFailed in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>): the whole batch merged in one transaction and round trip.</summary>
public sealed class SmsFailedConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsFailed>>
{
    public Task Consume(ConsumeContext<Batch<SmsFailed>> context) =>
        // Idempotent by construction: the upsert on RequestId merges order-independently, so a redelivery changes nothing.
        writer.ApplyAsync([.. context.Message.Select(c => SmsUsageChange.From(c.Message))], context.CancellationToken);
}
