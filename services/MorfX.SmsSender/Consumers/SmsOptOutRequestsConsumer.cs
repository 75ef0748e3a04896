using MassTransit;
using MorfX.Contracts;
using MorfX.SmsSender.OptOuts;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// config-api's opt-out page, by request/response over the broker (config-api never reads sms-sender's database): the
/// workspace's opted-out numbers, masked, and lifting one by its id.
/// </summary>
public sealed class SmsOptOutRequestsConsumer(OptOutRegistry optOuts) : IConsumer<ListSmsOptOuts>, IConsumer<LiftSmsOptOut>
{
    public async Task Consume(ConsumeContext<ListSmsOptOuts> context) =>
        await context.RespondAsync(new SmsOptOutList(await optOuts.ListAsync(context.Message.WorkspaceId, context.CancellationToken)));

    public async Task Consume(ConsumeContext<LiftSmsOptOut> context) =>
        await context.RespondAsync(new SmsOptOutLifted(
            await optOuts.LiftAsync(context.Message.WorkspaceId, context.Message.OptOutId, context.CancellationToken)));
}
