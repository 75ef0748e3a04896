using MorfX.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Pricing;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>The sid's status callback arrived before the sid was stored: retried shortly (the sending attempt is still writing it).</summary>
public sealed class MessageNotYetRecordedException(string sid) : Exception($"Message {sid} is not recorded yet");

/// <summary>
/// Applies a verified Twilio status callback. The first callback of a message whose create answer never arrived (timeout,
/// reset, 5xx) claims its sid by our marker echoed in the callback URL (RequestId), so the sending attempt stops looking. Callbacks arrive out of order and more than once, so the update is a single
/// conditional UPDATE that only moves the status forward; an older status changes nothing and publishes nothing.
/// A final status schedules the price check (the callback never carries the price).
/// </summary>
public sealed partial class TwilioStatusReportedConsumer(
    SmsDbContext db, SmsMetrics metrics, PricingSettings pricing, PricingDelay pricingDelay, DeliveryRetrySettings retries,
    ILogger<TwilioStatusReportedConsumer> logger) : IConsumer<TwilioStatusReported>
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
        if (message is null && report.RequestId is { } requestId) message = await ClaimByMarkerAsync(context, requestId, ct);
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
        if (!await SmsStatusUpdate.ApplyAsync(db, message.RequestId, status, report.ErrorCode, pricingDelay.FirstCheckAfter, retries, ct) && message.Status != status)
        {
            LogIgnored(report.MessageSid, status, message.Status);
            return;
        }

        LogApplied(report.MessageSid, message.Status, status);
        if (message.Status != status) metrics.RecordStatus(status);
        await context.Publish(new SmsStatusChanged(message.RequestId, message.WorkspaceId, report.MessageSid, status, report.ErrorCode, report.ReportedAt), ct);
    }

    /// <summary>The sid is written only onto the marked request, only if it has none yet (a send still waiting for Twilio's answer).</summary>
    async Task<SmsMessage?> ClaimByMarkerAsync(ConsumeContext<TwilioStatusReported> context, Guid requestId, CancellationToken ct)
    {
        var report = context.Message;
        var claimed = await db.Database.ExecuteSqlAsync($"""
            UPDATE sms_messages
            SET message_sid = {report.MessageSid}, status = {SmsStatuses.Queued}, sent_at = now(), updated_at = now(),
                send_lease_until = NULL, ambiguous_since = NULL, next_price_check_at = now() + {pricing.StatusCheckAfter}
            WHERE request_id = {requestId} AND workspace_id = {report.WorkspaceId} AND message_sid IS NULL AND status = {SmsStatuses.Sending}
            """, ct);
        if (claimed == 0) return null;
        var message = await db.Messages.AsNoTracking().FirstAsync(m => m.RequestId == requestId, ct);
        metrics.Sent.Add(1);
        LogClaimed(report.MessageSid, requestId);
        await SmsDispatcher.PublishSentAsync(message, context, ct);
        return message;
    }

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Status callback claimed {MessageSid} for request {RequestId}, whose create answer never arrived")]
    partial void LogClaimed(string messageSid, Guid requestId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Message {MessageSid} moved from {From} to {To}")]
    partial void LogApplied(string messageSid, string from, string to);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Status {Status} for {MessageSid} ignored: the message is already {Current}")]
    partial void LogIgnored(string messageSid, string status, string current);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Status callback for unknown message {MessageSid} in workspace {WorkspaceId} ignored")]
    partial void LogUnknownSid(string messageSid, Guid workspaceId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Status callback for {MessageSid} has an unknown status {Status}; ignored")]
    partial void LogUnknownStatus(string messageSid, string status);
}
