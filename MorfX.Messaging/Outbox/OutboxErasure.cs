using Microsoft.EntityFrameworkCore;

namespace MorfX.Messaging.Outbox;

/// <summary>
/// Erases a redacted Shopify customer's (or a whole shop's) messages from a service's <c>outbox_messages</c>: sent rows are
/// kept for a while and hold whole orders, phones and texts. A row goes when it belongs to the workspace and names the customer
/// (for a shop, every row of the workspace). An unsent row goes too when it is the workspace's alone, so nothing carries the
/// customer onward; an unsent batch that mixes workspaces is left to be published. The table is walked in key order, a bounded
/// chunk per statement, so a large shop is never one long transaction.
/// </summary>
public static class OutboxErasure
{
    const int ChunkSize = 2000;

    /// <summary>What names the customer in a message: their Shopify id, their orders' ids, and texts (phones, emails) compared without case.</summary>
    public sealed record Customer(long? CustomerId, IReadOnlyList<long> OrderIds, IReadOnlyList<string> Texts);

    sealed class Chunk
    {
        public Guid? Last { get; set; }
        public int Erased { get; set; }
    }

    /// <summary>Erases the customer's rows (or, with <paramref name="customer"/> null, the workspace's), but not <paramref name="except"/>.</summary>
    public static async Task<int> EraseAsync(DbContext db, Guid workspaceId, Customer? customer, IReadOnlyCollection<Guid> except, CancellationToken ct)
    {
        var whole = customer is null;
        var ws = workspaceId.ToString();
        long[] customerIds = customer?.CustomerId is { } id ? [id] : [];
        long[] orderIds = [.. customer?.OrderIds ?? []];
        string[] texts = [.. (customer?.Texts ?? []).Where(t => t.Length > 0).Select(t => t.ToLowerInvariant()).Distinct()];
        Guid[] kept = [.. except];
        var (after, erased) = (Guid.Empty, 0);
        while (true)
        {
            // ToList, not Single: EF would wrap the statement in a subquery, where a DELETE cannot be.
            var chunk = (await db.Database.SqlQuery<Chunk>($"""
                WITH chunk AS (SELECT id FROM outbox_messages WHERE id > {after} ORDER BY id LIMIT {ChunkSize}),
                erased AS (
                    DELETE FROM outbox_messages AS o USING chunk
                    WHERE o.id = chunk.id AND o.id <> ALL ({kept})
                      AND (o.body->>'WorkspaceId' = {ws}
                           OR (o.sent_at IS NOT NULL
                               AND jsonb_path_exists(o.body, '$.**.WorkspaceId ? (@ == $ws)', jsonb_build_object('ws', {ws}::text))))
                      AND ({whole}
                           OR jsonb_path_exists(o.body, '$.Order ? (@.Id == $o[*] || @.CompletedOrderId == $o[*] || @.Customer.Id == $c[*])',
                                                jsonb_build_object('o', {orderIds}, 'c', {customerIds}))
                           OR EXISTS (SELECT 1 FROM jsonb_path_query(o.body, 'strict $.**') AS v(value)
                                      WHERE jsonb_typeof(v.value) = 'string' AND lower(v.value #>> ARRAY[]::text[]) = ANY ({texts})))
                    RETURNING 1)
                SELECT (SELECT id FROM chunk ORDER BY id DESC LIMIT 1) AS "Last", (SELECT count(*) FROM erased)::int AS "Erased"
                """).ToListAsync(ct)).Single();
            erased += chunk.Erased;
            if (chunk.Last is not { } last) return erased;
            after = last;
        }
    }
}
