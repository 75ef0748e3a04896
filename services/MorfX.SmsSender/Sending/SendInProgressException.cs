namespace MorfX.SmsSender.Sending;

/// <summary>Another attempt is sending this request right now; the message is retried after its lease.</summary>
public sealed class SendInProgressException(Guid requestId) : Exception($"Request {requestId} is being sent by another attempt");
