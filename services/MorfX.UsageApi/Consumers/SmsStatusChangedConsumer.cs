using MassTransit;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>SmsStatusChanged in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>): the whole batch merged in one transaction and round trip.</summary>
public sealed class SmsStatusChangedConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsStatusChanged>>
{
    public Task Consume(ConsumeContext<Batch<SmsStatusChanged>> context) =>
        // Idempotent by construction: the status only moves up its rank, so a repeated or older callback changes nothing.
        writer.ApplyAsync([.. context.Message.Select(c => SmsUsageChange.From(c.Message))], context.CancellationToken);
}
