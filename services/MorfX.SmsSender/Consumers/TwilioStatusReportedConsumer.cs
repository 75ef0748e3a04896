using MorfX.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>The sid's status callback arrived before the sid was stored: retried shortly (the sending attempt is still writing it).</summary>
public sealed class MessageNotYetRecordedException(string sid) : Exception($"Message {sid} is not recorded yet");

/// <summary>
/// Applies a verified Twilio status callback. Callbacks arrive out of order and more than once, so the update is a single
/// conditional UPDATE that only moves the status forward; an older status changes nothing and publishes nothing.
/// A final status schedules the price check (the callback never carries the price).
/// </summary>
public sealed partial class TwilioStatusReportedConsumer(SmsDbContext db, SmsMetrics metrics, ILogger<TwilioStatusReportedConsumer> logger) : IConsumer<TwilioStatusReported>
{
    static readonly TimeSpan InFlightWindow = TimeSpan.FromMinutes(5);

    public async Task Consume(ConsumeContext<TwilioStatusReported> context)
    {
        var report = context.Message;
        var ct = context.CancellationToken;
        var status = report.MessageStatus.ToLowerInvariant();
        if (!SmsStatuses.IsKnown(status))
        {
            LogUnknownStatus(report.MessageSid, status);
            return;
        }

        var message = await db.Messages.AsNoTracking()
            .FirstOrDefaultAsync(m => m.MessageSid == report.MessageSid && m.WorkspaceId == report.WorkspaceId, ct);
        if (message is null)
        {
            var since = DateTimeOffset.UtcNow - InFlightWindow;
            if (await db.Messages.AnyAsync(m => m.WorkspaceId == report.WorkspaceId && m.MessageSid == null
                    && m.Status == SmsStatuses.Sending && m.CreatedAt > since, ct))
                throw new MessageNotYetRecordedException(report.MessageSid);
            LogUnknownSid(report.MessageSid, report.WorkspaceId);
            return;
        }

        // A repeat of the current status is announced again: its first announcement may have been lost with the broker.
        if (!await SmsStatusUpdate.ApplyAsync(db, message.RequestId, status, report.ErrorCode, ct) && message.Status != status)
        {
            LogIgnored(report.MessageSid, status, message.Status);
            return;
        }

        LogApplied(report.MessageSid, message.Status, status);
        if (message.Status != status) metrics.RecordStatus(status);
        await context.Publish(new SmsStatusChanged(message.RequestId, message.WorkspaceId, report.MessageSid, status, report.ErrorCode, report.ReportedAt), ct);
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Message {MessageSid} moved from {From} to {To}")]
    partial void LogApplied(string messageSid, string from, string to);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Status {Status} for {MessageSid} ignored: the message is already {Current}")]
    partial void LogIgnored(string messageSid, string status, string current);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Status callback for unknown message {MessageSid} in workspace {WorkspaceId} ignored")]
    partial void LogUnknownSid(string messageSid, Guid workspaceId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Status callback for {MessageSid} has an unknown status {Status}; ignored")]
    partial void LogUnknownStatus(string messageSid, string status);
}
