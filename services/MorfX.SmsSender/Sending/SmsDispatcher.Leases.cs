using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;

namespace MorfX.SmsSender.Sending;

// Recording a request and holding its lease: the fencing token decides which attempt may write the sid.
public sealed partial class SmsDispatcher
{
    /// <summary>The attempt holding a request's lease: its row (as recorded) and its fencing token.</summary>
    sealed record Attempt(SmsMessage Row, long Fence, bool Interrupted);

    enum Ambiguity { Unchanged, SinceNow, SinceNowUnlessKnown }

    /// <summary>
    /// Records the request (sending, fence 1, a lease on the database's clock) and, in the same statement, reads whether it
    /// must be skipped (<see cref="SmsWrites"/>); null when another delivery of the same request recorded it first.
    /// </summary>
    async Task<(Attempt Attempt, string? Skip)?> TryRecordAsync(SmsRequested request, TwilioCredentials credentials, CancellationToken ct)
    {
        var row = NewRow(request);
        row.AccountSid = credentials.AccountSid;
        row.FromNumber = credentials.FromNumber;
        row.SendFence = 1;
        return await writes.RecordAsync(row, request.RequestedAt, ct) is { } recorded ? (new Attempt(row, row.SendFence, Interrupted: false), recorded.Skip) : null;
    }

    /// <summary>
    /// Records a request that ends at once (failed or skipped, no lease). ON CONFLICT DO NOTHING: two deliveries of one
    /// request racing is expected, not a database error to log.
    /// </summary>
    async Task<bool> InsertEndedAsync(SmsMessage row, CancellationToken ct) => await db.Database.ExecuteSqlAsync($"""
        INSERT INTO sms_messages (request_id, workspace_id, account_sid, to_number, from_number, body, media_urls, segments,
            encoding, status, state, error_message, origin_kind, automation_id, run_id, trigger_event_id, created_at, updated_at,
            final_at, send_fence, price_checks, delivery_attempt)
        VALUES ({row.RequestId}, {row.WorkspaceId}, {row.AccountSid}, {row.ToNumber}, {row.FromNumber}, {row.Body}, {row.MediaUrls},
            {row.Segments}, {row.Encoding}, {row.Status}, {SmsLifecycle.Name(row.State)}, {row.ErrorMessage}, {row.OriginKind},
            {row.AutomationId}, {row.RunId}, {row.TriggerEventId}, {row.CreatedAt}, {row.UpdatedAt}, {row.FinalAt},
            {row.SendFence}, 0, {row.DeliveryAttempt})
        ON CONFLICT (request_id) DO NOTHING
        """, ct) == 1;

    /// <summary>
    /// Takes over a recorded request (<see cref="SmsLifecycle.Claim"/>) once no other attempt holds its lease (database
    /// clock), with the next fencing token, waiting (at most one lease) while one does. Done = another attempt finished it
    /// meanwhile.
    /// </summary>
    async Task<(Attempt Attempt, bool Done)> ClaimAsync(Guid requestId, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + settings.SendLease + TimeSpan.FromSeconds(1);
        var claim = SmsLifecycle.Claim;
        while (true)
        {
            // A lease that lapsed rather than being released starts the look-up window of the ambiguity it becomes.
            var fences = await db.Database.SqlQuery<long>($"""
                UPDATE sms_messages SET send_fence = send_fence + 1, send_lease_until = now() + {settings.SendLease}, updated_at = now(),
                    state = ({claim.To})[array_position({claim.From}, state)],
                    ambiguous_since = CASE WHEN state = ANY ({SmsLifecycle.Released}) THEN ambiguous_since ELSE COALESCE(ambiguous_since, now()) END
                WHERE request_id = {requestId} AND state = ANY ({claim.From})
                  AND (state = ANY ({SmsLifecycle.Released}) OR send_lease_until < now())
                RETURNING send_fence AS "Value"
                """).ToListAsync(ct);
            var row = (await RowAsync(requestId, ct))!;
            if (fences.Count == 1) return (new Attempt(row, fences[0], Interrupted: true), false);
            if (IsDone(row)) return (new Attempt(row, 0, false), true);
            if (DateTimeOffset.UtcNow > deadline) throw new SendInProgressException(requestId);
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    /// <summary>
    /// Keeps (or with <paramref name="release"/> gives up: <see cref="SmsLifecycle.Release"/>) this attempt's lease, if it
    /// still holds the token; returns the database's time, or null when another attempt has taken the request over. An
    /// <paramref name="ambiguity"/> makes it ambiguous (<see cref="SmsLifecycle.BecomeAmbiguous"/>): a create that just
    /// went unanswered starts its look-up window now; an interrupted request keeps the window of its first ambiguity.
    /// </summary>
    async Task<DateTimeOffset?> ExtendLeaseAsync(Attempt attempt, bool release = false, Ambiguity ambiguity = Ambiguity.Unchanged)
    {
        var (released, ambiguous) = (SmsLifecycle.Release, SmsLifecycle.BecomeAmbiguous);
        var now = await db.Database.SqlQuery<DateTimeOffset>($"""
            UPDATE sms_messages
            SET send_lease_until = CASE WHEN {release} THEN NULL ELSE now() + {settings.SendLease} END,
                ambiguous_since = CASE {(int)ambiguity} WHEN 1 THEN now() WHEN 2 THEN COALESCE(ambiguous_since, now()) ELSE ambiguous_since END,
                state = CASE WHEN {release} THEN ({released.To})[array_position({released.From}, state)]
                             WHEN {(int)ambiguity} <> 0 THEN ({ambiguous.To})[array_position({ambiguous.From}, state)]
                             ELSE state END,
                updated_at = now()
            WHERE request_id = {attempt.Row.RequestId} AND send_fence = {attempt.Fence} AND state = ANY ({SmsLifecycle.Leased})
            RETURNING now() AS "Value"
            """).ToListAsync(CancellationToken.None);
        return now.Count == 1 ? now[0] : null;
    }
}
