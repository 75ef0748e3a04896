using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.Messaging;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.Pricing;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// Applies verified Twilio status callbacks, in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>), coalesced per
/// message: of a message's callbacks in the batch only the furthest status counts (see <see cref="Furthest"/>), applied
/// once and announced once. The first callback of a message whose create answer never arrived
/// (timeout, reset, 5xx) claims its sid by our marker echoed in the callback URL (RequestId), so the sending attempt stops
/// looking. Callbacks arrive out of order and more than once, so the update is one conditional UPDATE for the whole batch
/// that only moves each status forward; an older status changes nothing and publishes nothing, a repeat of the current
/// one is announced again (its first announcement may have been lost with the broker). A final status schedules the price
/// check (the callback never carries the price). A callback for a sid we do not have is logged and ignored.
/// </summary>
public sealed partial class TwilioStatusReportedConsumer(
    SmsDbContext db, SmsActivityPublisher activity, SmsMetrics metrics, IOptions<PricingOptions> pricing, PricingDelay pricingDelay, IOptions<DeliveryRetryOptions> retries,
    ILogger<TwilioStatusReportedConsumer> logger) : IConsumer<Batch<TwilioStatusReported>>, IConsumer<Batch<TwilioStatusReports>>
{
    /// <summary>Callbacks published one by one: those webhook-ingest wrote to its outbox while the broker was slow or down.</summary>
    public Task Consume(ConsumeContext<Batch<TwilioStatusReported>> context) =>
        ApplyAsync(context, [.. context.Message.Select(m => m.Message)], context.CancellationToken);

    /// <summary>Callbacks as webhook-ingest publishes them, many to a message.</summary>
    public Task Consume(ConsumeContext<Batch<TwilioStatusReports>> context) =>
        ApplyAsync(context, [.. context.Message.SelectMany(m => m.Message.Reports)], context.CancellationToken);

    async Task ApplyAsync(ConsumeContext context, List<TwilioStatusReported> reports, CancellationToken ct)
    {
        foreach (var report in reports.Where(r => !SmsStatuses.IsKnown(r.MessageStatus.ToLowerInvariant())))
            LogUnknownStatus(report.MessageSid, report.MessageStatus);
        var furthest = Furthest(reports);
        if (furthest.Count == 0) return;

        var sids = furthest.Select(r => r.MessageSid).ToList();
        var rows = (await db.Messages.AsNoTracking().Where(m => m.MessageSid != null && sids.Contains(m.MessageSid)).ToListAsync(ct))
            .ToDictionary(m => (m.WorkspaceId, m.MessageSid!));
        var missing = furthest.Where(r => !rows.ContainsKey((r.WorkspaceId, r.MessageSid))).ToList();
        // Every send carries our marker, so an unmarked callback for a sid we do not have was not sent by MorfX (another app on
        // the account, or a tenant's forgery): an answer, not a fault, so it holds back no other workspace's callbacks.
        foreach (var report in missing.Where(r => r.RequestId is null)) LogUnknownSid(report.MessageSid, report.WorkspaceId);
        var found = furthest.Where(r => rows.ContainsKey((r.WorkspaceId, r.MessageSid))).Select(r => (Report: r, Row: rows[(r.WorkspaceId, r.MessageSid)])).ToList();
        foreach (var report in missing.Where(r => r.RequestId is not null))
        {
            if (await ClaimByMarkerAsync(context, report, report.RequestId!.Value, ct) is { } claimed) found.Add((report, claimed));
            else LogUnknownSid(report.MessageSid, report.WorkspaceId);
        }

        var status = found.Select(f => new StatusChange(f.Row.RequestId, f.Report.MessageStatus, f.Report.ErrorCode)).ToList();
        var applied = await SmsStatusUpdate.ApplyAsync(db, status, pricingDelay.FirstCheckAfter, retries.Value, ct);
        var announced = new List<Task>(found.Count);
        foreach (var (report, row) in found)
        {
            var moved = applied.Contains(row.RequestId);
            if (!moved && row.Status != report.MessageStatus)
            {
                LogIgnored(report.MessageSid, report.MessageStatus, row.Status);
                continue;
            }
            if (moved)
            {
                LogApplied(report.MessageSid, row.Status, report.MessageStatus);
                metrics.RecordStatus(report.MessageStatus);
            }
            announced.Add(StatusAnnouncements.PublishAsync(context, activity, new SmsStatusChanged(row.RequestId, row.WorkspaceId,
                report.MessageSid, report.MessageStatus, report.ErrorCode, report.ReportedAt), ct));
        }
        await Task.WhenAll(announced);
    }

    /// <summary>
    /// Per message (workspace and sid), the report that applying them one by one in this order would leave: the first final
    /// status (a final status never changes), else the highest-ranked one; statuses lower-cased, unknown ones left out.
    /// </summary>
    public static List<TwilioStatusReported> Furthest(IEnumerable<TwilioStatusReported> reports)
    {
        var furthest = new Dictionary<(Guid, string), TwilioStatusReported>();
        foreach (var report in reports)
        {
            var status = report.MessageStatus.ToLowerInvariant();
            if (!SmsStatuses.IsKnown(status)) continue;
            var key = (report.WorkspaceId, report.MessageSid);
            if (!furthest.TryGetValue(key, out var kept)
                || (!SmsStatuses.IsFinal(kept.MessageStatus) && SmsStatuses.Rank(status) > SmsStatuses.Rank(kept.MessageStatus)))
                furthest[key] = report with { MessageStatus = status };
        }
        return [.. furthest.Values];
    }

    /// <summary>
    /// The sid is written only onto the marked request, only if it has none yet (a send still waiting for Twilio's answer);
    /// the marked request as it is when the sending attempt stored this very sid meanwhile, null when it has another or none.
    /// </summary>
    async Task<SmsMessage?> ClaimByMarkerAsync(IPublishEndpoint publish, TwilioStatusReported report, Guid requestId, CancellationToken ct)
    {
        var claim = SmsLifecycle.ClaimByCallback;
        var message = (await db.Messages.FromSql($"""
            UPDATE sms_messages
            SET message_sid = {report.MessageSid}, status = {SmsStatuses.Queued}, state = ({claim.To})[array_position({claim.From}, state)],
                sent_at = now(), updated_at = now(), send_lease_until = NULL, ambiguous_since = NULL,
                next_price_check_at = now() + {pricing.Value.StatusCheckAfter}
            WHERE request_id = {requestId} AND workspace_id = {report.WorkspaceId} AND state = ANY ({claim.From})
            RETURNING *
            """).AsNoTracking().ToListAsync(ct)).SingleOrDefault();
        if (message is null)
        {
            var marked = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.RequestId == requestId && m.WorkspaceId == report.WorkspaceId, ct);
            return marked?.MessageSid == report.MessageSid ? marked : null;
        }
        metrics.Sent.Add(1);
        LogClaimed(report.MessageSid, requestId);
        await activity.SentAsync(message, ct);
        return message;
    }

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Status callback claimed {MessageSid} for request {RequestId}, whose create answer never arrived")]
    partial void LogClaimed(string messageSid, Guid requestId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Message {MessageSid} moved from {From} to {To}")]
    partial void LogApplied(string messageSid, string from, string to);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Status {Status} for {MessageSid} ignored: the message is already {Current}")]
    partial void LogIgnored(string messageSid, string status, string current);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Status callback for unknown message {MessageSid} in workspace {WorkspaceId} ignored")]
    partial void LogUnknownSid(string messageSid, Guid workspaceId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Status callback for {MessageSid} has an unknown status {Status}; ignored")]
    partial void LogUnknownStatus(string messageSid, string status);
}
