using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.Data.Redaction;
using MorfX.Messaging.Outbox;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// A Shopify customer (or shop) was redacted: the recipient number, text and media of its messages are erased; the
/// message, its status and its price stay, so counts and costs do not change. The phones are remembered as hashes first
/// (redacted_recipients, keyed: RedactionHasher), so a request still queued or parked for them is skipped with customer_redacted instead of being
/// sent or recorded again; parked requests and the outbox lose the number and text too. Bounded batches, so a large shop is
/// never one long transaction. Idempotent: erasing twice is the same.
/// </summary>
public sealed class SmsRecipientsRedactedConsumer(SmsDbContext db, RedactionHasher hasher) : IConsumer<SmsRecipientsRedacted>
{
    const int BatchSize = 1000;

    public async Task Consume(ConsumeContext<SmsRecipientsRedacted> context)
    {
        var (m, ct) = (context.Message, context.CancellationToken);
        Guid[] ids = [.. m.RequestIds];
        string[] phones = [.. m.Phones];
        const string erased = SmsRecipientsRedacted.ErasedNumber;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO redacted_recipients (workspace_id, phone_hash, redacted_at)
            SELECT {m.WorkspaceId}, h, now() FROM unnest({hasher.Hash(m.WorkspaceId, phones)}) AS h
            ON CONFLICT (workspace_id, phone_hash) DO UPDATE SET redacted_at = EXCLUDED.redacted_at
            """, ct);
        while (await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE sms_messages SET to_number = {erased}, body = '', media_urls = ARRAY[]::text[], updated_at = now()
            WHERE request_id IN (SELECT request_id FROM sms_messages
                                 WHERE workspace_id = {m.WorkspaceId} AND to_number <> {erased}
                                   AND (request_id = ANY({ids}) OR to_number = ANY({phones}))
                                 LIMIT {BatchSize})
            """, ct) > 0)
        {
        }
        // Parked requests are handed back as they are: with the number erased, the dispatcher skips them (customer_redacted).
        while (await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE deferred_sms_requests
            SET message = message || jsonb_build_object('to', {erased}::text, 'body', '', 'mediaUrls', '[]'::jsonb)
            WHERE request_id IN (SELECT request_id FROM deferred_sms_requests
                                 WHERE message->>'workspaceId' = {m.WorkspaceId.ToString()} AND message->>'to' <> {erased}
                                   AND (request_id = ANY({ids}) OR message->>'to' = ANY({phones}))
                                 LIMIT {BatchSize})
            """, ct) > 0)
        {
        }
        await OutboxErasure.EraseAsync(db, m.WorkspaceId, new OutboxErasure.Customer(null, [], phones), [], ct);
    }
}
