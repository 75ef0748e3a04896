using MassTransit;
using Microsoft.Extensions.Options;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// The shared SmsRequested queue: a delivery spends most of its time waiting for Twilio (10–100 ms), so many run at once
/// (Sending:ConcurrentMessages, 128 by default; prefetch twice that: at 64 the queue was the ceiling near 800 orders/s on
/// the benchmark's machine). The bulk lane keeps its own, smaller limit (Fairness).
/// </summary>
public sealed class SmsRequestedConsumerDefinition : ConsumerDefinition<SmsRequestedConsumer>
{
    public SmsRequestedConsumerDefinition(IOptions<SendingOptions> options)
    {
        var settings = options.Value;
        ConcurrentMessageLimit = settings.ConcurrentMessages;
        Endpoint(e =>
        {
            e.ConcurrentMessageLimit = settings.ConcurrentMessages;
            e.PrefetchCount = settings.ConcurrentMessages * 2;
        });
    }
}
