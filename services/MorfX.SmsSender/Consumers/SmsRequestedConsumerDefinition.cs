using MassTransit;
using Microsoft.Extensions.Options;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// The shared SmsRequested queue: a delivery spends most of its time waiting for Twilio (10–100 ms), so many run at once
/// (Sending:ConcurrentMessages, prefetch twice that; decision 0019). The bulk lane keeps its own, smaller limit (Fairness).
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
