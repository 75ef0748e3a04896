using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.OptOuts;
using MorfX.SmsSender.Twilio;
using Npgsql;

namespace MorfX.SmsSender.Sending;

// How a request ends: sent (the sid written under the fence), refused, skipped or failed, and each announced.
public sealed partial class SmsDispatcher
{
    /// <summary>
    /// A redelivered request that already has its outcome sends nothing, but announces the outcome again: the first
    /// announcement may have been lost with the broker after the row was written (usage-api's upserts make repeats harmless).
    /// </summary>
    async Task<DispatchResult> AnnounceAgainAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct)
    {
        if (SmsLifecycle.HasMessage(row.State))
        {
            await activity.SentAsync(row, ct);
            return new(DispatchOutcome.AlreadySent, row);
        }
        if (row.State == SmsState.Skipped)
        {
            await PublishSkippedAsync(row, publish, ct);
            return new(DispatchOutcome.Skipped, row, null, SkipCode(row));
        }
        await PublishFailedAsync(row, publish, ct);
        return new(DispatchOutcome.AlreadyFailed, row, row.ErrorCode, row.ErrorMessage);
    }

    static Task PublishFailedAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct) =>
        publish.Publish(new SmsFailed(row.RequestId, row.WorkspaceId, null, row.ToNumber, row.Body, row.ErrorCode,
            row.ErrorMessage ?? "", row.AutomationId, row.FinalAt ?? row.UpdatedAt), ct);

    static Task PublishSkippedAsync(SmsMessage row, IPublishEndpoint publish, CancellationToken ct) =>
        publish.Publish(new SmsSkipped(row.RequestId, row.WorkspaceId, row.ToNumber, SkipCode(row), row.AutomationId,
            row.FinalAt ?? row.UpdatedAt), ct);

    /// <summary>A skipped row keeps its code in error_message (rows from before the stop button were all opt-outs).</summary>
    static string SkipCode(SmsMessage row) => row.ErrorMessage ?? SmsSkipped.RecipientOptedOut;

    /// <summary>
    /// A request more than Sending:ExpireAfter past its due time (parked through a long outage) that was never recorded is
    /// not sent: it is recorded skipped (expired). One already recorded is claimed first, like any redelivery.
    /// </summary>
    async Task<DispatchResult> ExpireAsync(SmsRequested request, IPublishEndpoint publish, CancellationToken ct)
    {
        var row = NewRow(request);
        row.Status = SkippedStatus;
        row.State = SmsState.Skipped;
        row.ErrorMessage = SmsSkipped.Expired;
        row.FinalAt = row.CreatedAt;
        if (!await InsertEndedAsync(row, ct)) throw new SendInProgressException(request.RequestId);
        LogExpired(request.RequestId, request.DueAt ?? request.RequestedAt);
        await PublishSkippedAsync(row, publish, ct);
        return new(DispatchOutcome.Skipped, row, null, SmsSkipped.Expired);
    }

    /// <summary>Writes the sid (<see cref="SmsLifecycle.MarkSent"/>) — only if this attempt still holds the fencing token and no callback claimed one first.</summary>
    async Task<DispatchResult> RecordSentAsync(Attempt attempt, TwilioMessage message, TwilioCredentials credentials, IPublishEndpoint publish, CancellationToken ct)
    {
        var status = SmsStatuses.IsKnown(message.Status) && message.Status != SmsStatuses.Sending ? message.Status : SmsStatuses.Queued;
        var final = SmsStatuses.IsFinal(status);
        // Twilio does not retry a status callback we could not take (broker down: 503), so the reconciler asks Twilio
        // itself if no final status has arrived by then; a final status brings the check forward.
        var firstCheck = final ? TimeSpan.Zero : pricing.StatusCheckAfter;
        var requestId = attempt.Row.RequestId;
        SmsMessage? row;
        try
        {
            // The row as written is what SmsSent announces, without reading it again.
            row = await writes.MarkSentAsync(new SentMark(requestId, attempt.Fence, message.Sid, credentials.AccountSid, status, final, firstCheck));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The look-up matched a message another request adopted in the meantime: look again on the next delivery.
            throw new SendInProgressException(requestId);
        }
        if (row is null)
        {
            var current = (await RowAsync(requestId, CancellationToken.None))!;
            if (current.MessageSid == message.Sid) return new(DispatchOutcome.Sent, current);
            return await TakenOverAsync(requestId, publish, ct);
        }

        metrics.Sent.Add(1);
        LogSent(requestId, message.Sid, PhoneNumbers.Redact(row.ToNumber), row.Segments, row.Encoding);
        await activity.SentAsync(row, ct);
        return new(DispatchOutcome.Sent, row);
    }

    async Task<DispatchResult> RecordRejectedAsync(SmsMessage row, TwilioApiException e, TwilioCredentials credentials, IPublishEndpoint publish, CancellationToken ct)
    {
        var code = e.Code ?? (e.HttpStatus == 401 ? TwilioErrorCodes.AuthenticationFailed : null);
        LogRejected(row.RequestId, PhoneNumbers.Redact(row.ToNumber), e.HttpStatus, code);
        if (code == TwilioErrorCodes.AuthenticationFailed)
            await publish.Publish(new TwilioCredentialsRejected(row.WorkspaceId, code.Value, DateTimeOffset.UtcNow,
                Secrets.Fingerprint(credentials.AuthToken)), ct);
        if (code == TwilioErrorCodes.Unsubscribed)
            await optOuts.SetAsync(row.WorkspaceId, row.ToNumber, optedOut: true, OptOutRegistry.FromTwilioRefusal, DateTimeOffset.UtcNow, ct);
        return await EndWithoutMessageAsync(row, SmsLifecycle.Fail, SmsStatuses.Failed, code, e.TwilioMessage, publish, DispatchOutcome.Rejected, ct);
    }

    async Task<DispatchResult> SkipAsync(SmsMessage row, string code, IPublishEndpoint publish, CancellationToken ct)
    {
        LogSkipped(row.RequestId, PhoneNumbers.Redact(row.ToNumber), code);
        return await EndWithoutMessageAsync(row, SmsLifecycle.Skip, SkippedStatus, null, code, publish, DispatchOutcome.Skipped, ct);
    }

    async Task<DispatchResult> FailNotConfiguredAsync(SmsMessage? existing, SmsRequested request, IPublishEndpoint publish, CancellationToken ct)
    {
        LogNotConfigured(request.RequestId, request.WorkspaceId);
        if (existing is not null)
            return await EndWithoutMessageAsync(existing, SmsLifecycle.Fail, SmsStatuses.Failed, null, NotConfiguredError, publish,
                DispatchOutcome.NotConfigured, ct);
        var row = NewRow(request);
        row.Status = SmsStatuses.Failed;
        row.State = SmsState.Failed;
        row.ErrorMessage = NotConfiguredError;
        row.FinalAt = row.CreatedAt;
        // Another delivery of the same request recorded it first: let the retry see its outcome.
        if (!await InsertEndedAsync(row, ct)) throw new SendInProgressException(request.RequestId);
        metrics.Failed.Add(1);
        await PublishFailedAsync(row, publish, ct);
        return new(DispatchOutcome.NotConfigured, row, null, NotConfiguredError);
    }

    /// <summary>
    /// The request ends without a message (for good) by <paramref name="end"/>: <see cref="SmsLifecycle.Fail"/> (announced
    /// with SmsFailed) or <see cref="SmsLifecycle.Skip"/> (SmsSkipped).
    /// </summary>
    async Task<DispatchResult> EndWithoutMessageAsync(SmsMessage row, SmsTransition end, string status, int? code, string error,
        IPublishEndpoint publish, DispatchOutcome outcome, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        // A redacted customer's request keeps neither the number nor the text it arrived with.
        var redacted = error == SmsSkipped.CustomerRedacted;
        var ended = (await db.Messages.FromSql($"""
            UPDATE sms_messages
            SET status = {status}, state = ({end.To})[array_position({end.From}, state)], error_code = {code}, error_message = {error},
                final_at = {now}, updated_at = {now}, send_lease_until = NULL,
                to_number = CASE WHEN {redacted} THEN {SmsRecipientsRedacted.ErasedNumber} ELSE to_number END,
                body = CASE WHEN {redacted} THEN '' ELSE body END,
                media_urls = CASE WHEN {redacted} THEN ARRAY[]::text[] ELSE media_urls END
            WHERE request_id = {row.RequestId} AND state = ANY ({end.From})
            RETURNING *
            """).AsNoTracking().ToListAsync(CancellationToken.None)).SingleOrDefault()
            // Matched nothing: a callback claimed the sid meanwhile.
            ?? (await RowAsync(row.RequestId, CancellationToken.None))!;
        if (SmsLifecycle.HasMessage(ended.State)) return await AnnounceAgainAsync(ended, publish, ct);
        if (end == SmsLifecycle.Skip) await PublishSkippedAsync(ended, publish, ct);
        else
        {
            metrics.Failed.Add(1);
            await PublishFailedAsync(ended, publish, ct);
        }
        return new(outcome, ended, code, error);
    }
}
