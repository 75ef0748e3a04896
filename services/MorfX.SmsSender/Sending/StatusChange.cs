namespace MorfX.SmsSender.Sending;

/// <summary>A status learnt for one message (from a callback, or from asking Twilio).</summary>
public sealed record StatusChange(Guid RequestId, string Status, int? ErrorCode);
