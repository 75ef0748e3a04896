using MassTransit;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Consumers;

/// <summary>
/// sms-sender's coalesced announcements (<see cref="SmsActivity"/>), in batches: every event of every envelope merged in one
/// transaction and round trip, as idempotently as the single events (<see cref="SmsUsageWriter"/>). The single-event
/// consumers stay for what is still published one by one (SmsFailed) and for events already queued or in an outbox.
/// </summary>
public sealed class SmsActivityConsumer(SmsUsageWriter writer) : IConsumer<Batch<SmsActivity>>
{
    public Task Consume(ConsumeContext<Batch<SmsActivity>> context) =>
        writer.ApplyAsync([.. context.Message.SelectMany(c => SmsUsageChange.From(c.Message))], context.CancellationToken);
}
