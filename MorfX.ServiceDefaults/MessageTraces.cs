using System.Diagnostics;
using MassTransit;

namespace MorfX.ServiceDefaults;

/// <summary>
/// A batch consumer runs outside the traces of the messages it takes, so what it does for one message (the SmsRequested of one
/// order) would start a trace of its own. <see cref="Continue"/> starts an activity in that message's trace instead, from the
/// W3C trace context MassTransit carries in the message's headers, so an order is still one trace from webhook to Twilio.
/// </summary>
public static class MessageTraces
{
    static readonly ActivitySource Source = new(Telemetry.MorfXSource);

    // MassTransit 8 writes the W3C traceparent in Diagnostic-Id (and MT-Activity-Id); "traceparent" is the W3C name.
    static readonly string[] Headers = ["Diagnostic-Id", "traceparent", "MT-Activity-Id"];

    /// <summary>An activity in the message's trace (null when nobody listens or the message carries no trace); dispose it when done.</summary>
    public static Activity? Continue(ConsumeContext message, string name)
    {
        // The broker's headers (where MassTransit's receive activity reads them), then the message envelope's.
        foreach (var headers in new[] { message.ReceiveContext.TransportHeaders, message.Headers })
            foreach (var header in Headers)
                if (headers.Get<string>(header) is { Length: > 0 } value && ActivityContext.TryParse(value, null, out var parent))
                    return Source.StartActivity(name, ActivityKind.Consumer, parent);
        return null;
    }
}
