using MassTransit;
using MorfX.Contracts;
using MorfX.SmsSender.OptOuts;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// An inbound SMS (verified by webhook-ingest): an opt-out keyword (STOP, SALIR, BAJA…) or Twilio's OptOutType=STOP marks the
/// sender as opted out of the workspace's messages; START/ALTA (or OptOutType=START) lifts it. Anything else is ignored here.
/// Ordered by Twilio's time for the message (<see cref="TwilioKeywordTimes"/>), idempotent and independent of arrival order
/// (<see cref="OptOutRegistry"/>). A keyword that became the number's state is also the recipient's SMS marketing consent,
/// announced to the engine (<see cref="SmsConsentChanged"/>) at Twilio's time (MorfX's receive time when unknown).
/// </summary>
public sealed class TwilioInboundReceivedConsumer(OptOutRegistry optOuts, TwilioKeywordTimes times) : IConsumer<TwilioInboundReceived>
{
    public async Task Consume(ConsumeContext<TwilioInboundReceived> context)
    {
        var inbound = context.Message;
        var change = OptOutKeywords.Classify(inbound.Body, inbound.OptOutType);
        if (change == OptOutChange.None) return;
        var at = await times.ReadAsync(inbound, context.CancellationToken);
        if (!await optOuts.SetAsync(inbound.WorkspaceId, inbound.From, change == OptOutChange.OptOut, OptOutRegistry.FromInboundMessage, at,
                context.CancellationToken))
            return;
        await context.Publish(new SmsConsentChanged(inbound.WorkspaceId, inbound.From, change == OptOutChange.OptIn,
            OptOutRegistry.FromInboundMessage, at ?? inbound.ReceivedAt), context.CancellationToken);
    }
}
