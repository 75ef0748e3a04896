using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using NpgsqlTypes;
using static MorfX.Data.ArrayParameters;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// The one way a message's status changes, whoever learnt it (callbacks, or the reconciler asking Twilio): a single
/// conditional UPDATE (for any number of messages, FROM unnest) that only moves each status forward. A final status
/// schedules the first price check <c>firstPriceCheck</c> later (the observed pricing delay, see
/// <see cref="Pricing.PricingDelay"/>); a transient carrier failure schedules another delivery (see <see cref="DeliveryRetrier"/>).
/// The state moves by <see cref="SmsLifecycle.Finish"/>, <see cref="SmsLifecycle.FinishForRedelivery"/> or
/// <see cref="SmsLifecycle.FinishPricedForRedelivery"/>.
/// </summary>
public static class SmsStatusUpdate
{
    /// <summary>True when the status was applied; false when the message already had it or a later one.</summary>
    public static async Task<bool> ApplyAsync(
        SmsDbContext db, Guid requestId, string status, int? errorCode, TimeSpan firstPriceCheck, DeliveryRetryOptions retries, CancellationToken ct) =>
        (await ApplyAsync(db, [new StatusChange(requestId, status, errorCode)], firstPriceCheck, retries, ct)).Count == 1;

    /// <summary>Applies one change per message (at most one per request id); returns the request ids whose status moved.</summary>
    public static async Task<HashSet<Guid>> ApplyAsync(
        SmsDbContext db, IReadOnlyList<StatusChange> changes, TimeSpan firstPriceCheck, DeliveryRetryOptions retries, CancellationToken ct)
    {
        if (changes.Count == 0) return [];
        var now = DateTimeOffset.UtcNow;
        // A transient carrier failure (30003, 30008) of an automation's message: another message later, with backoff.
        var redeliver = changes.Select(c => SmsStatuses.IsFinal(c.Status) && TwilioErrorCodes.IsRetryableDelivery(c.ErrorCode)).ToArray();
        var (finish, redeliverUnpriced, redeliverPriced) =
            (SmsLifecycle.Finish, SmsLifecycle.FinishForRedelivery, SmsLifecycle.FinishPricedForRedelivery);
        // The rows are locked first, in request order, whatever plan PostgreSQL picks for the update: one that scans the table and
        // hashes the batch (chosen by the table's statistics) would lock in the table's order, and two batches could deadlock.
        var applied = await db.Database.SqlQuery<Guid>($"""
            WITH u AS (
                SELECT * FROM unnest({Column("ids", NpgsqlDbType.Uuid, changes.Select(c => c.RequestId).ToArray())},
                                     {Column("statuses", NpgsqlDbType.Text, changes.Select(c => c.Status).ToArray())},
                                     {Column("codes", NpgsqlDbType.Integer, changes.Select(c => c.ErrorCode).ToArray())},
                                     {Column("lower", NpgsqlDbType.Text, changes.Select(c => string.Join(',', SmsStatuses.Below(c.Status))).ToArray())},
                                     {Column("finals", NpgsqlDbType.Boolean, changes.Select(c => SmsStatuses.IsFinal(c.Status)).ToArray())},
                                     {Column("redeliver", NpgsqlDbType.Boolean, redeliver)})
                     AS u(request_id, status, error_code, lower, final, redeliver)),
            locked AS (
                SELECT m.request_id FROM sms_messages AS m JOIN u ON m.request_id = u.request_id
                WHERE m.status = ANY (string_to_array(u.lower, ','))
                ORDER BY m.request_id FOR UPDATE OF m)
            UPDATE sms_messages AS m
            SET status = u.status, updated_at = {now}, error_code = COALESCE(u.error_code, m.error_code),
                final_at = CASE WHEN u.final THEN {now} ELSE m.final_at END,
                -- Twilio prices a message some time after its final status: asked then, then again with backoff (PriceReconciler).
                next_price_check_at = CASE WHEN u.final AND m.price IS NULL THEN {now + firstPriceCheck} ELSE m.next_price_check_at END,
                redeliver_at = CASE WHEN NOT u.redeliver THEN m.redeliver_at
                                    WHEN m.origin_kind = {SmsOrigin.Automation} AND m.delivery_attempt < {retries.MaxAttempts}
                                    THEN CASE WHEN m.delivery_attempt = 1 THEN {now + retries.FirstDelay} ELSE {now + retries.FirstDelay * 4} END
                               END,
                -- A state these transitions do not move stays as it is.
                state = CASE WHEN NOT u.final THEN m.state
                             WHEN u.redeliver AND m.origin_kind = {SmsOrigin.Automation} AND m.delivery_attempt < {retries.MaxAttempts}
                             THEN CASE WHEN m.price IS NULL
                                       THEN COALESCE(({redeliverUnpriced.To})[array_position({redeliverUnpriced.From}, m.state)], m.state)
                                       ELSE COALESCE(({redeliverPriced.To})[array_position({redeliverPriced.From}, m.state)], m.state) END
                             WHEN m.price IS NULL THEN COALESCE(({finish.To})[array_position({finish.From}, m.state)], m.state)
                             ELSE m.state END
            FROM u
            WHERE m.request_id = u.request_id AND m.request_id IN (SELECT request_id FROM locked)
              AND m.status = ANY (string_to_array(u.lower, ','))
            RETURNING m.request_id AS "Value"
            """).ToListAsync(ct);
        return [.. applied];
    }
}
