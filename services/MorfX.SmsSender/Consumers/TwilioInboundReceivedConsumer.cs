using MassTransit;
using MorfX.Contracts;
using MorfX.SmsSender.OptOuts;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// An inbound SMS (verified by webhook-ingest): an opt-out keyword (STOP, SALIR, BAJA…) or Twilio's OptOutType=STOP marks the
/// sender as opted out of the workspace's messages; START/ALTA (or OptOutType=START) lifts it. Anything else is ignored here.
/// Idempotent and order-safe: the registry keeps the latest change per number (by the time Twilio received it). Either
/// keyword is also the recipient's SMS marketing consent, announced to the engine (<see cref="SmsConsentChanged"/>).
/// </summary>
public sealed class TwilioInboundReceivedConsumer(OptOutRegistry optOuts) : IConsumer<TwilioInboundReceived>
{
    public async Task Consume(ConsumeContext<TwilioInboundReceived> context)
    {
        var inbound = context.Message;
        var change = OptOutKeywords.Classify(inbound.Body, inbound.OptOutType);
        if (change == OptOutChange.None) return;
        await optOuts.SetAsync(inbound.WorkspaceId, inbound.From, change == OptOutChange.OptOut, OptOutRegistry.FromInboundMessage,
            inbound.ReceivedAt, context.CancellationToken);
        await context.Publish(new SmsConsentChanged(inbound.WorkspaceId, inbound.From, change == OptOutChange.OptIn,
            OptOutRegistry.FromInboundMessage, inbound.ReceivedAt), context.CancellationToken);
    }
}
