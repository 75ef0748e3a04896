using System.Diagnostics;
using MassTransit;
using MorfX.ServiceDefaults;

namespace MorfX.Messaging;

/// <summary>
/// A batch consumer runs outside the traces of the messages it takes, so what it does for one message (the SmsRequested of one
/// order) would start a trace of its own. <see cref="Continue"/> starts an activity in that message's trace instead, from the
/// W3C trace context MassTransit carries in the message's transport headers, so an order is still one trace from webhook to Twilio.
/// </summary>
public static class MessageTraces
{
    static readonly ActivitySource Source = new(Telemetry.MorfXSource);

    /// <summary>An activity in the message's trace (null when nobody listens or the message carries no trace); dispose it when done.</summary>
    public static Activity? Continue(ConsumeContext message, string name)
    {
        // Where MassTransit writes the W3C traceparent when it sends, and reads it when it receives.
        if (message.ReceiveContext.TransportHeaders.Get<string>(MassTransit.Logging.DiagnosticHeaders.ActivityId) is { Length: > 0 } value
            && ActivityContext.TryParse(value, null, out var parent))
            return Source.StartActivity(name, ActivityKind.Consumer, parent);
        return null;
    }
}
