using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.Data;
using MorfX.Data.Redaction;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using NpgsqlTypes;
using static MorfX.Data.ArrayParameters;

namespace MorfX.SmsSender.Sending;

/// <summary>A request to record, with when it was requested (what a stop of its automation is compared with).</summary>
public sealed record NewRequest(SmsMessage Row, DateTimeOffset RequestedAt);

/// <summary>The sid a create returned, to be written onto its request only if the attempt still holds <paramref name="Fence"/>.</summary>
public sealed record SentMark(Guid RequestId, long Fence, string MessageSid, string AccountSid, string Status, bool Final, TimeSpan FirstPriceCheck);

/// <summary>
/// The two writes of every send, many requests to a statement (<see cref="SharedWrites{T, TResult}"/>): the row recorded before
/// Twilio is called (with the recipient's opt-out read in the same statement) and the sid written after. Requests that reach a
/// write while the previous statement runs (or within a millisecond) share one set-based statement and one commit; each caller
/// still has its own row's outcome before it goes on, so the exactly-once rules of <see cref="SmsDispatcher"/> are unchanged.
/// </summary>
public sealed class SmsWrites : IAsyncDisposable
{
    static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(1);
    const int MaxRows = 100;

    readonly IServiceScopeFactory _scopes;
    readonly TimeSpan _lease;
    readonly SharedWrites<NewRequest, Recorded?> _records;
    readonly SharedWrites<SentMark, SmsMessage?> _sent;

    /// <param name="linger">How long a write waits for others to share its statement (1 ms; tests make it longer).</param>
    public SmsWrites(IServiceScopeFactory scopes, IOptions<SendingOptions> settings, TimeSpan? linger = null)
    {
        (_scopes, _lease) = (scopes, settings.Value.SendLease);
        _records = new(RecordAllAsync, linger ?? Linger, MaxRows);
        _sent = new(MarkAllSentAsync, linger ?? Linger, MaxRows);
    }

    /// <summary>
    /// Inserts the row (sending, fence 1, a lease on the database's clock) and reads whether it must be skipped: the
    /// recipient opted out, or its automation was stopped after <paramref name="requestedAt"/>; null when another delivery of
    /// the same request recorded it first.
    /// </summary>
    public Task<Recorded?> RecordAsync(SmsMessage row, DateTimeOffset requestedAt, CancellationToken ct) =>
        _records.WriteAsync(new(row, requestedAt), ct);

    /// <summary>Writes the sid and returns the row as written; null when the attempt lost its fence or a callback claimed a sid first.</summary>
    public Task<SmsMessage?> MarkSentAsync(SentMark mark) => _sent.WriteAsync(mark, CancellationToken.None);

    async Task<IReadOnlyList<Recorded?>> RecordAllAsync(IReadOnlyList<NewRequest> requests)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<RedactionHasher>();
        var rows = requests.Select(r => r.Row).ToList();
        var inserted = (await db.Database.SqlQuery<Recorded>($"""
            WITH r AS (
                SELECT * FROM unnest({Column("ids", NpgsqlDbType.Uuid, rows, m => m.RequestId)},
                            {Column("workspaces", NpgsqlDbType.Uuid, rows, m => m.WorkspaceId)},
                            {Column("accounts", NpgsqlDbType.Text, rows, m => m.AccountSid)},
                            {Column("tos", NpgsqlDbType.Text, rows, m => m.ToNumber)},
                            {Column("froms", NpgsqlDbType.Text, rows, m => m.FromNumber)},
                            {Column("bodies", NpgsqlDbType.Text, rows, m => m.Body)},
                            {Column("media", NpgsqlDbType.Text, rows, m => JsonSerializer.Serialize(m.MediaUrls))},
                            {Column("segments", NpgsqlDbType.Integer, rows, m => m.Segments)},
                            {Column("encodings", NpgsqlDbType.Text, rows, m => m.Encoding)},
                            {Column("origins", NpgsqlDbType.Text, rows, m => m.OriginKind)},
                            {Column("automations", NpgsqlDbType.Uuid, rows, m => m.AutomationId)},
                            {Column("runs", NpgsqlDbType.Uuid, rows, m => m.RunId)},
                            {Column("triggers", NpgsqlDbType.Uuid, rows, m => m.TriggerEventId)},
                            {Column("created", NpgsqlDbType.TimestampTz, rows, m => m.CreatedAt)},
                            {Column("attempts", NpgsqlDbType.Integer, rows, m => m.DeliveryAttempt)},
                            {Column("requested", NpgsqlDbType.TimestampTz, requests, r => r.RequestedAt)},
                            {Column("hashes", NpgsqlDbType.Bytea, rows, m => hasher.Hash(m.WorkspaceId, m.ToNumber))})
                     AS r(request_id, workspace_id, account_sid, to_number, from_number, body, media, segments, encoding, origin_kind,
                          automation_id, run_id, trigger_event_id, created_at, delivery_attempt, requested_at, to_hash)),
            inserted AS (
                INSERT INTO sms_messages (request_id, workspace_id, account_sid, to_number, from_number, body, media_urls, segments,
                    encoding, status, state, origin_kind, automation_id, run_id, trigger_event_id, created_at, updated_at,
                    send_lease_until, send_fence, price_checks, delivery_attempt)
                SELECT r.request_id, r.workspace_id, r.account_sid, r.to_number, r.from_number, r.body,
                    ARRAY(SELECT jsonb_array_elements_text(r.media::jsonb)), r.segments, r.encoding, {SmsStatuses.Sending},
                    {SmsLifecycle.Name(SmsState.Sending)}, r.origin_kind,
                    r.automation_id, r.run_id, r.trigger_event_id, r.created_at, r.created_at, now() + {_lease}, 1, 0, r.delivery_attempt
                FROM r
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id, workspace_id, to_number, automation_id)
            SELECT i.request_id AS "RequestId",
                   CASE WHEN i.to_number = {SmsRecipientsRedacted.ErasedNumber}
                             OR EXISTS (SELECT 1 FROM redacted_recipients x JOIN r ON r.request_id = i.request_id
                                        WHERE x.workspace_id = i.workspace_id AND x.phone_hash = r.to_hash)
                        THEN {SmsSkipped.CustomerRedacted}
                        WHEN EXISTS (SELECT 1 FROM sms_opt_outs o
                                     WHERE o.workspace_id = i.workspace_id AND o.phone_number = i.to_number AND o.opted_out)
                        THEN {SmsSkipped.RecipientOptedOut}
                        WHEN EXISTS (SELECT 1 FROM automation_stops s JOIN r ON r.request_id = i.request_id
                                     WHERE s.automation_id = i.automation_id AND s.stopped_at > r.requested_at)
                        THEN {SmsSkipped.AutomationDisabled}
                   END AS "Skip"
            FROM inserted AS i
            """).ToListAsync(CancellationToken.None)).ToDictionary(r => r.RequestId);
        // The same request twice in one statement is inserted once: the first of them recorded it, the other did not.
        return [.. rows.Select(r => inserted.Remove(r.RequestId, out var recorded) ? recorded : null)];
    }

    async Task<IReadOnlyList<SmsMessage?>> MarkAllSentAsync(IReadOnlyList<SentMark> marks)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        // Locked in request order first (by primary key), as a status update locks them: two statements never wait on each
        // other's rows. The fence and the state are checked on the row as it is once locked.
        var sent = SmsLifecycle.MarkSent;
        var written = (await db.Messages.FromSql($"""
            WITH u AS (
                SELECT * FROM unnest({Column("ids", NpgsqlDbType.Uuid, marks, m => m.RequestId)},
                                     {Column("fences", NpgsqlDbType.Bigint, marks, m => m.Fence)},
                                     {Column("sids", NpgsqlDbType.Text, marks, m => m.MessageSid)},
                                     {Column("accounts", NpgsqlDbType.Text, marks, m => m.AccountSid)},
                                     {Column("statuses", NpgsqlDbType.Text, marks, m => m.Status)},
                                     {Column("finals", NpgsqlDbType.Boolean, marks, m => m.Final)},
                                     {Column("checks", NpgsqlDbType.Interval, marks, m => m.FirstPriceCheck)})
                     AS u(request_id, fence, message_sid, account_sid, status, final, first_check)),
            locked AS (
                SELECT m.request_id FROM sms_messages AS m
                WHERE m.request_id = ANY ({Column("locks", NpgsqlDbType.Uuid, marks, m => m.RequestId)})
                ORDER BY m.request_id FOR UPDATE)
            UPDATE sms_messages AS m
            SET message_sid = u.message_sid, account_sid = u.account_sid, status = u.status, sent_at = now(), updated_at = now(),
                state = ({sent.To})[array_position({sent.From}, m.state)],
                final_at = CASE WHEN u.final THEN now() END, send_lease_until = NULL, ambiguous_since = NULL,
                next_price_check_at = now() + u.first_check
            FROM u JOIN locked ON locked.request_id = u.request_id
            WHERE m.request_id = u.request_id AND m.send_fence = u.fence AND m.state = ANY ({sent.From})
            RETURNING m.*
            """).AsNoTracking().ToListAsync(CancellationToken.None)).ToDictionary(m => m.RequestId);
        return [.. marks.Select(m => written.GetValueOrDefault(m.RequestId) is { } row && row.MessageSid == m.MessageSid ? row : null)];
    }

    /// <summary>A request recorded by this call; Skip = why it must not be sent (opted out, its automation stopped), or null.</summary>
    public sealed class Recorded
    {
        public Guid RequestId { get; set; }
        public string? Skip { get; set; }
    }

    public async ValueTask DisposeAsync()
    {
        await _records.DisposeAsync();
        await _sent.DisposeAsync();
    }
}
