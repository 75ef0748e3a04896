namespace MorfX.SmsSender.Consumers;

/// <summary>The sid's status callback arrived before the sid was stored: retried shortly (the sending attempt is still writing it).</summary>
public sealed class MessageNotYetRecordedException(string sid) : Exception($"Message {sid} is not recorded yet");
