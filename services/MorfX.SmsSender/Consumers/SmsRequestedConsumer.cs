using MassTransit;
using MorfX.Contracts;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// Turns an SmsRequested into exactly one Twilio message (see <see cref="SmsDispatcher"/> for how). Idempotency lives in the
/// dispatcher: a redelivered request that already has its outcome sends nothing and announces the outcome again. An outage
/// of config-api or Twilio that outlasts the in-process retries parks the request to be handed back later
/// (<see cref="SmsRequestDeferrals"/>).
/// </summary>
public sealed class SmsRequestedConsumer(SmsDispatcher dispatcher, SmsRequestDeferrals deferrals) : IConsumer<SmsRequested>
{
    public async Task Consume(ConsumeContext<SmsRequested> context)
    {
        try
        {
            await dispatcher.DispatchAsync(context.Message, context, throwOnTransient: true, context.CancellationToken);
        }
        catch (Exception e) when (SmsDispatcher.IsOutage(e, context.CancellationToken) && deferrals.ShouldDefer(context))
        {
            await deferrals.DeferAsync(context, SmsDispatcher.Describe(e));
        }
    }
}
