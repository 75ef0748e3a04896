namespace MorfX.SmsSender.Sending;

public sealed partial class SmsDispatcher
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "SMS {RequestId} accepted by Twilio as {MessageSid} to {To} ({Segments} segment(s), {Encoding})")]
    partial void LogSent(Guid requestId, string messageSid, string to, int segments, string encoding);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "SMS {RequestId} to {To} refused by Twilio: HTTP {HttpStatus}, code {ErrorCode}")]
    partial void LogRejected(Guid requestId, string to, int httpStatus, int? errorCode);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "SMS {RequestId} not sent: workspace {WorkspaceId} has no Twilio integration")]
    partial void LogNotConfigured(Guid requestId, Guid workspaceId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio unreachable after retries ({Error})")]
    partial void LogTransient(Guid requestId, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "SMS {RequestId}: found {MessageSid} at Twilio {Elapsed} after the outcome became unknown; adopted instead of sending again")]
    partial void LogAdopted(Guid requestId, string messageSid, TimeSpan elapsed);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio's answer to the create is unknown ({Error}); looking for the message instead of posting again")]
    partial void LogAmbiguous(Guid requestId, string error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio still had no such message {Window} after the ambiguous create; sending it again")]
    partial void LogResending(Guid requestId, TimeSpan window);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "SMS {RequestId}: its first status callback claimed {MessageSid}")]
    partial void LogClaimedByCallback(Guid requestId, string messageSid);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "SMS {RequestId}: look-up at Twilio failed ({Error}); trying again")]
    partial void LogLookupFailed(Guid requestId, string error);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "SMS {RequestId}: another attempt took the request over (fencing token changed); this one stops")]
    partial void LogFencedOut(Guid requestId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "SMS {RequestId} to {To} skipped: {Code}")]
    partial void LogSkipped(Guid requestId, string to, string code);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "SMS {RequestId} not sent: it was due at {DueAt}, longer ago than Sending:ExpireAfter")]
    partial void LogExpired(Guid requestId, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio holds {Candidates} messages that could be this one; none is adopted and it is not sent again until a status callback claims one")]
    partial void LogSeveralCandidates(Guid requestId, int candidates);
}
