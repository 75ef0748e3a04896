using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Integrations;
using MorfX.ServiceDefaults.Messaging;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Twilio;
using Npgsql;
using Polly.Timeout;

namespace MorfX.SmsSender.Sending;

public enum DispatchOutcome { Sent, AlreadySent, AlreadyFailed, NotConfigured, Rejected, Unreachable }

public sealed record DispatchResult(DispatchOutcome Outcome, SmsMessage? Message, int? TwilioCode = null, string? Error = null);

/// <summary>Another attempt is sending this request right now; the message is retried after its lease.</summary>
public sealed class SendInProgressException(Guid requestId) : Exception($"Request {requestId} is being sent by another attempt");

/// <summary>
/// Sends one requested SMS exactly once.
/// 1. The request is recorded (status "sending", with a short lease) BEFORE Twilio is called.
/// 2. A request that already has a sid, or failed for good, is never sent again.
/// 3. A request found in "sending" without a sid was interrupted (crash or lost answer between Twilio's call and
///    storing the sid) or is being sent by another attempt. Once the other attempt's lease has lapsed, this attempt
///    takes it over and first looks for the message at Twilio: the newest messages From→To (Twilio's list filters),
///    matched on the exact body and a creation time after the row was recorded, ignoring sids that belong to other
///    rows. Found: its sid is adopted. Not found: Twilio never accepted it, so it is sent now.
/// </summary>
public sealed partial class SmsDispatcher(
    SmsDbContext db, IntegrationLookup lookup, TwilioMessagesClient twilio, SmsSenderSettings settings, PricingSettings pricing,
    SmsMetrics metrics, ILogger<SmsDispatcher> logger)
{
    public const string NotConfiguredError = "twilio_not_configured";
    public const string UnreachableError = "twilio_unreachable";
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <param name="throwOnTransient">
    /// True for SmsRequested: a transient failure (Twilio down after the retry pipeline) throws, so the consumer's
    /// retry and the broker's redelivery try again later. False for the test SMS: the caller is waiting for an answer.
    /// </param>
    public async Task<DispatchResult> DispatchAsync(SmsRequested request, IPublishEndpoint publish, bool throwOnTransient, CancellationToken ct)
    {
        var existing = await db.Messages.FirstOrDefaultAsync(m => m.RequestId == request.RequestId, ct);
        if (existing is not null && IsDone(existing)) return await AnnounceAgainAsync(existing, publish, ct);

        var credentials = await lookup.GetTwilioAsync(request.WorkspaceId, ct);
        if (credentials is null) return await FailNotConfiguredAsync(existing, request, publish, ct);

        SmsMessage row;
        var interrupted = false;
        if (existing is null && await TryRecordAsync(request, credentials, ct) is { } recorded) row = recorded;
        else
        {
            var (claimed, done) = await ClaimAsync(request.RequestId, ct);
            if (done) return await AnnounceAgainAsync(claimed, publish, ct);
            (row, interrupted) = (claimed, true);
        }

        try
        {
            if (interrupted && await FindAtTwilioAsync(row, credentials, ct) is { } found)
            {
                LogAdopted(request.RequestId, found.Sid);
                return await RecordSentAsync(row, found, credentials, publish, ct);
            }
            var created = await twilio.CreateMessageAsync(
                credentials, row.ToNumber, row.FromNumber!, row.Body, row.MediaUrls, settings.StatusCallbackFor(row.WorkspaceId), ct);
            return await RecordSentAsync(row, created, credentials, publish, ct);
        }
        catch (TwilioApiException e) when (e.IsPermanent)
        {
            return await RecordRejectedAsync(row, e, publish, ct);
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            // Twilio may or may not have the message: the row stays "sending", so the next attempt looks it up first.
            row.SendLeaseUntil = null;
            row.UpdatedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(CancellationToken.None);
            LogTransient(request.RequestId, Describe(e));
            if (throwOnTransient) throw;
            return await FailAsync(row, null, UnreachableError, publish, ct, DispatchOutcome.Unreachable);
        }
    }

    static bool IsDone(SmsMessage row) => row.MessageSid is not null || row.Status != SmsStatuses.Sending;

    /// <summary>
    /// A redelivered request that already has its outcome sends nothing, but announces the outcome again: the first
    /// announcement may have been lost with the broker after the row was written (usage-api's upserts make repeats harmless).
    /// </summary>
    async Task<DispatchResult> AnnounceAgainAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct)
    {
        if (row.MessageSid is not null)
        {
            await PublishSentAsync(row, publish, ct);
            return new(DispatchOutcome.AlreadySent, row);
        }
        await PublishFailedAsync(row, publish, ct);
        return new(DispatchOutcome.AlreadyFailed, row, row.ErrorCode, row.ErrorMessage);
    }

    static Task PublishSentAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct) =>
        publish.Publish(new SmsSent(
            row.RequestId, row.WorkspaceId, row.MessageSid!, row.ToNumber, row.FromNumber ?? "", row.Body, row.Segments, row.Encoding,
            row.MediaUrls.Count, row.Status, row.AutomationId, row.SentAt ?? row.CreatedAt), ct);

    static Task PublishFailedAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct) =>
        publish.Publish(new SmsFailed(row.RequestId, row.WorkspaceId, null, row.ToNumber, row.Body, row.ErrorCode,
            row.ErrorMessage ?? "", row.AutomationId, row.FinalAt ?? row.UpdatedAt), ct);

    /// <summary>An error fit for logs: Twilio's own message text may repeat the recipient's number.</summary>
    internal static string Describe(Exception e) => e is TwilioApiException t ? $"Twilio HTTP {t.HttpStatus}, code {t.Code}" : e.GetType().Name;

    static bool IsTransient(Exception e, CancellationToken ct) => e switch
    {
        TwilioApiException twilioError => !twilioError.IsPermanent,
        HttpRequestException or TimeoutRejectedException => true,
        OperationCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Inserts the row with this attempt's lease; null when another delivery of the same request recorded it first.</summary>
    async Task<SmsMessage?> TryRecordAsync(SmsRequested request, TwilioCredentials credentials, CancellationToken ct)
    {
        var row = NewRow(request);
        row.AccountSid = credentials.AccountSid;
        row.FromNumber = credentials.FromNumber;
        row.SendLeaseUntil = row.CreatedAt + settings.SendLease;
        // ON CONFLICT DO NOTHING: two deliveries of one request racing is expected, not a database error to log.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO sms_messages (request_id, workspace_id, account_sid, to_number, from_number, body, media_urls, segments,
                encoding, status, origin_kind, automation_id, run_id, trigger_event_id, created_at, updated_at, send_lease_until, price_checks)
            VALUES ({row.RequestId}, {row.WorkspaceId}, {row.AccountSid}, {row.ToNumber}, {row.FromNumber}, {row.Body}, {row.MediaUrls},
                {row.Segments}, {row.Encoding}, {row.Status}, {row.OriginKind}, {row.AutomationId}, {row.RunId}, {row.TriggerEventId},
                {row.CreatedAt}, {row.UpdatedAt}, {row.SendLeaseUntil}, 0)
            ON CONFLICT (request_id) DO NOTHING
            """, ct);
        if (inserted == 0) return null;
        db.Messages.Attach(row);
        return row;
    }

    /// <summary>
    /// Takes over a recorded request once no other attempt holds its lease, waiting (at most one lease) while one does.
    /// Done = another attempt finished it meanwhile.
    /// </summary>
    async Task<(SmsMessage Row, bool Done)> ClaimAsync(Guid requestId, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + settings.SendLease + TimeSpan.FromSeconds(1);
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            var claimed = await db.Messages
                .Where(m => m.RequestId == requestId && m.MessageSid == null && m.Status == SmsStatuses.Sending
                            && (m.SendLeaseUntil == null || m.SendLeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SendLeaseUntil, now + settings.SendLease).SetProperty(m => m.UpdatedAt, now), ct);
            db.ChangeTracker.Clear();
            var row = await db.Messages.FirstAsync(m => m.RequestId == requestId, ct);
            if (claimed == 1) return (row, false);
            if (IsDone(row)) return (row, true);
            if (DateTimeOffset.UtcNow > deadline) throw new SendInProgressException(requestId);
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    async Task<TwilioMessage?> FindAtTwilioAsync(SmsMessage row, TwilioCredentials credentials, CancellationToken ct)
    {
        if (row.FromNumber is null) return null;
        var since = row.CreatedAt - ClockSkew;
        var candidates = (await twilio.ListMessagesAsync(credentials, row.ToNumber, row.FromNumber, 50, ct))
            .Where(m => m.Body == row.Body && m.CreatedAt >= since && (int.TryParse(m.NumMedia, out var media) ? media : 0) == row.MediaUrls.Count)
            .ToList();
        if (candidates.Count == 0) return null;
        var sids = candidates.Select(m => m.Sid).ToList();
        var taken = await db.Messages.Where(m => m.MessageSid != null && sids.Contains(m.MessageSid)).Select(m => m.MessageSid!).ToListAsync(ct);
        return candidates.Where(m => !taken.Contains(m.Sid)).MinBy(m => m.CreatedAt);
    }

    async Task<DispatchResult> RecordSentAsync(SmsMessage row, TwilioMessage message, TwilioCredentials credentials, IPublishEndpoint publish, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        row.MessageSid = message.Sid;
        row.AccountSid = credentials.AccountSid;
        row.Status = SmsStatuses.IsKnown(message.Status) && message.Status != SmsStatuses.Sending ? message.Status : SmsStatuses.Queued;
        row.SentAt = now;
        row.UpdatedAt = now;
        row.SendLeaseUntil = null;
        if (SmsStatuses.IsFinal(row.Status)) row.FinalAt = now;
        // Twilio does not retry a status callback we could not take (broker down: 503), so the reconciler asks Twilio
        // itself if no final status has arrived by then; a final callback brings the check forward.
        row.NextPriceCheckAt = row.FinalAt is null ? now + pricing.StatusCheckAfter : now;
        await db.SaveChangesAsync(CancellationToken.None);

        metrics.Sent.Add(1);
        LogSent(row.RequestId, message.Sid, PhoneNumbers.Redact(row.ToNumber), row.Segments, row.Encoding);
        await PublishSentAsync(row, publish, ct);
        return new(DispatchOutcome.Sent, row);
    }

    async Task<DispatchResult> RecordRejectedAsync(SmsMessage row, TwilioApiException e, IPublishEndpoint publish, CancellationToken ct)
    {
        var code = e.Code ?? (e.HttpStatus == 401 ? TwilioApiException.AuthenticationFailed : null);
        LogRejected(row.RequestId, PhoneNumbers.Redact(row.ToNumber), e.HttpStatus, code);
        if (code == TwilioApiException.AuthenticationFailed)
            await publish.Publish(new TwilioCredentialsRejected(row.WorkspaceId, code.Value, DateTimeOffset.UtcNow), ct);
        return await FailAsync(row, code, e.TwilioMessage, publish, ct, DispatchOutcome.Rejected);
    }

    async Task<DispatchResult> FailNotConfiguredAsync(SmsMessage? existing, SmsRequested request, IPublishEndpoint publish, CancellationToken ct)
    {
        LogNotConfigured(request.RequestId, request.WorkspaceId);
        var row = existing ?? db.Messages.Add(NewRow(request)).Entity;
        try
        {
            return await FailAsync(row, null, NotConfiguredError, publish, ct, DispatchOutcome.NotConfigured);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another delivery of the same request recorded it first: let the retry see its outcome.
            db.ChangeTracker.Clear();
            throw new SendInProgressException(request.RequestId);
        }
    }

    /// <summary>The request ends without a message (for good): recorded as failed, announced with SmsFailed.</summary>
    async Task<DispatchResult> FailAsync(SmsMessage row, int? code, string error, IPublishEndpoint publish, CancellationToken ct, DispatchOutcome outcome)
    {
        var now = DateTimeOffset.UtcNow;
        row.Status = SmsStatuses.Failed;
        row.ErrorCode = code;
        row.ErrorMessage = error;
        row.FinalAt = now;
        row.UpdatedAt = now;
        row.SendLeaseUntil = null;
        await db.SaveChangesAsync(CancellationToken.None);
        metrics.Failed.Add(1);
        await PublishFailedAsync(row, publish, ct);
        return new(outcome, row, code, error);
    }

    static SmsMessage NewRow(SmsRequested request)
    {
        var (encoding, segments) = SmsSegments.Calculate(request.Body);
        var now = DateTimeOffset.UtcNow;
        return new SmsMessage
        {
            RequestId = request.RequestId,
            WorkspaceId = request.WorkspaceId,
            ToNumber = request.To,
            Body = request.Body,
            MediaUrls = [.. request.MediaUrls],
            Segments = segments,
            Encoding = encoding,
            Status = SmsStatuses.Sending,
            OriginKind = request.Origin.Kind,
            AutomationId = request.Origin.AutomationId,
            RunId = request.Origin.RunId,
            TriggerEventId = request.Origin.TriggerEventId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "SMS {RequestId} accepted by Twilio as {MessageSid} to {To} ({Segments} segment(s), {Encoding})")]
    partial void LogSent(Guid requestId, string messageSid, string to, int segments, string encoding);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "SMS {RequestId} to {To} refused by Twilio: HTTP {HttpStatus}, code {ErrorCode}")]
    partial void LogRejected(Guid requestId, string to, int httpStatus, int? errorCode);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "SMS {RequestId} not sent: workspace {WorkspaceId} has no Twilio integration")]
    partial void LogNotConfigured(Guid requestId, Guid workspaceId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "SMS {RequestId}: Twilio unreachable after retries ({Error})")]
    partial void LogTransient(Guid requestId, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "SMS {RequestId} was interrupted after Twilio accepted it; adopted {MessageSid} instead of sending again")]
    partial void LogAdopted(Guid requestId, string messageSid);
}
