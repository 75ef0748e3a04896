namespace MorfX.SmsSender.Sending;

/// <summary>
/// Twilio holds more than one message that could be an ambiguous create's: the request is neither sent again nor given one
/// of them, and waits like an outage (parked, then handed back) until a status callback claims its own.
/// </summary>
public sealed class AmbiguousMatchException(Guid requestId, int candidates)
    : Exception($"Twilio holds {candidates} messages that could be request {requestId}'s");
