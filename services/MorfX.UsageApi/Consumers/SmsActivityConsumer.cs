using MassTransit;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>
/// sms-sender's coalesced announcements (<see cref="SmsActivity"/>), in batches: every event of every envelope merged in one
/// transaction and round trip, idempotently (<see cref="SmsUsageWriter"/>): sends, status changes and prices reach
/// usage-api only this way (decision 0035).
/// </summary>
public sealed class SmsActivityConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsActivity>>
{
    public Task Consume(ConsumeContext<Batch<SmsActivity>> context) =>
        writer.ApplyAsync([.. context.Message.SelectMany(c => SmsUsageChange.From(c.Message))], context.CancellationToken);
}
