using MorfX.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// Turns an SmsRequested into exactly one Twilio message (see <see cref="SmsDispatcher"/> for how). An outage of config-api
/// or Twilio that outlasts the in-process retries parks the request to be handed back later (<see cref="SmsRequestDeferrals"/>).
/// </summary>
public sealed partial class SmsRequestedConsumer(SmsDbContext db, SmsDispatcher dispatcher, SmsRequestDeferrals deferrals, ILogger<SmsRequestedConsumer> logger)
    : IConsumer<SmsRequested>
{
    public async Task Consume(ConsumeContext<SmsRequested> context)
    {
        var request = context.Message;
        // Idempotency: a request that already has a Twilio sid, or ended without one, is never sent again.
        if (await db.Messages.AnyAsync(m => m.RequestId == request.RequestId
                && (m.MessageSid != null || m.Status != SmsStatuses.Sending), context.CancellationToken))
        {
            LogAlreadyHandled(request.RequestId);
            return;
        }
        try
        {
            await dispatcher.DispatchAsync(request, context, throwOnTransient: true, context.CancellationToken);
        }
        catch (Exception e) when (SmsDispatcher.IsOutage(e, context.CancellationToken) && deferrals.ShouldDefer(context))
        {
            await deferrals.DeferAsync(context, SmsDispatcher.Describe(e));
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "SMS request {RequestId} was already handled; not sending again")]
    partial void LogAlreadyHandled(Guid requestId);
}
