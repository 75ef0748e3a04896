using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Sending;

public sealed record DispatchResult(DispatchOutcome Outcome, SmsMessage? Message, int? TwilioCode = null, string? Error = null);
