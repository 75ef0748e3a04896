using Microsoft.EntityFrameworkCore;
using MorfX.Rules;
using Npgsql;
using NpgsqlTypes;
using static MorfX.Data.ArrayParameters;

namespace MorfX.UsageApi.Data;

/// <summary>
/// Merges events into their messages' rows with set-based INSERT … SELECT FROM unnest … ON CONFLICT DO UPDATE. Every column
/// merges with an order-independent rule (first non-null fact, highest-ranked status, earliest time, a price once set
/// stays, failed means no cost), so repeated and out-of-order events converge to the same row; that is
/// also what makes the consumers idempotent without a separate "seen" table.
/// </summary>
public sealed partial class SmsUsageWriter(UsageDbContext db, ILogger<SmsUsageWriter> logger)
{
    const string Upsert = """
        INSERT INTO sms_usage AS s (request_id, workspace_id, automation_id, message_sid, to_number, body,
                                    status, status_rank, segments, cost, price_unit, sent_at, updated_at)
        SELECT e.request_id, e.workspace_id, e.automation_id, e.message_sid, e.to_number, e.body,
               e.status, e.status_rank, e.segments,
               CASE WHEN e.status = 'failed' THEN NULL ELSE e.cost END, e.price_unit, e.occurred_at, now()
        FROM unnest(@request_id, @workspace_id, @automation_id, @message_sid, @to_number, @body,
                    @status, @status_rank, @segments, @cost, @price_unit, @occurred_at)
             AS e(request_id, workspace_id, automation_id, message_sid, to_number, body,
                  status, status_rank, segments, cost, price_unit, occurred_at)
        -- Rows are locked in request order whatever the batch: two batches touching the same rows at once wait for each
        -- other instead of deadlocking.
        ORDER BY e.request_id
        ON CONFLICT (request_id) DO UPDATE SET
            automation_id = COALESCE(s.automation_id, EXCLUDED.automation_id),
            message_sid   = COALESCE(s.message_sid, EXCLUDED.message_sid),
            to_number     = COALESCE(s.to_number, EXCLUDED.to_number),
            body          = COALESCE(s.body, EXCLUDED.body),
            status        = CASE WHEN (EXCLUDED.status_rank, COALESCE(EXCLUDED.status, '')) > (s.status_rank, COALESCE(s.status, ''))
                                 THEN EXCLUDED.status ELSE s.status END,
            status_rank   = GREATEST(s.status_rank, EXCLUDED.status_rank),
            segments      = GREATEST(s.segments, EXCLUDED.segments),
            -- failed ranks highest, so once either side is failed the merged status is failed: no cost.
            cost          = CASE WHEN s.status = 'failed' OR EXCLUDED.status = 'failed' THEN NULL
                                 ELSE COALESCE(s.cost, EXCLUDED.cost) END,
            price_unit    = COALESCE(s.price_unit, EXCLUDED.price_unit),
            sent_at       = LEAST(s.sent_at, EXCLUDED.sent_at),
            updated_at    = now()
        WHERE s.workspace_id = EXCLUDED.workspace_id
        RETURNING s.request_id
        """;

    /// <summary>
    /// Merges a batch of events in ONE round trip and ONE transaction (an NpgsqlBatch runs in one implicit transaction). One
    /// statement cannot change a row twice, so the events go in rounds: the first event of every request, then the second…,
    /// each round one set-based upsert; each request's events are merged in the order given, as one by one.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<SmsUsageChange> changes, CancellationToken ct)
    {
        if (changes.Count == 0) return;
        var rounds = Rounds(changes);
        var merged = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await db.Database.OpenConnectionAsync(token);
            try
            {
                await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
                foreach (var round in rounds)
                {
                    var command = new NpgsqlBatchCommand(Upsert);
                    command.Parameters.AddRange(Parameters(round));
                    batch.BatchCommands.Add(command);
                }
                var ids = new HashSet<(int Round, Guid RequestId)>();
                await using var reader = await batch.ExecuteReaderAsync(token);
                var index = 0;
                do
                {
                    while (await reader.ReadAsync(token)) ids.Add((index, reader.GetGuid(0)));
                    index++;
                }
                while (await reader.NextResultAsync(token));
                return ids;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }, ct);
        foreach (var (round, index) in rounds.Select((r, i) => (r, i)))
            foreach (var change in round.Where(c => !merged.Contains((index, c.RequestId))))
                LogWorkspaceMismatch(change.RequestId, change.WorkspaceId);
        LogApplied(changes.Count);
    }

    /// <summary>Round k holds the k-th event of each request that has one.</summary>
    static List<List<SmsUsageChange>> Rounds(IReadOnlyList<SmsUsageChange> changes)
    {
        var rounds = new List<List<SmsUsageChange>>();
        foreach (var events in changes.GroupBy(c => c.RequestId))
            foreach (var (change, k) in events.Select((c, k) => (c, k)))
            {
                if (k == rounds.Count) rounds.Add([]);
                rounds[k].Add(change);
            }
        return rounds;
    }

    static NpgsqlParameter[] Parameters(List<SmsUsageChange> round)
    {
        var statuses = round.Select(c => SmsStatuses.Normalize(c.Status)).ToArray();
        return
        [
            Column("request_id", NpgsqlDbType.Uuid, round.Select(c => c.RequestId)),
            Column("workspace_id", NpgsqlDbType.Uuid, round.Select(c => c.WorkspaceId)),
            Column("automation_id", NpgsqlDbType.Uuid, round.Select(c => c.AutomationId)),
            Column("message_sid", NpgsqlDbType.Text, round.Select(c => c.MessageSid)),
            Column("to_number", NpgsqlDbType.Text, round.Select(c => c.To)),
            Column("body", NpgsqlDbType.Text, round.Select(c => c.Body)),
            Column("status", NpgsqlDbType.Text, statuses),
            Column("status_rank", NpgsqlDbType.Integer, statuses.Select(SmsStatuses.Rank)),
            Column("segments", NpgsqlDbType.Integer, round.Select(c => Math.Max(0, c.Segments))),
            // Twilio reports a charge as a negative price; the read model keeps costs positive.
            Column("cost", NpgsqlDbType.Numeric, round.Select(c => c.Cost is { } cost ? Math.Abs(cost) : (decimal?)null)),
            Column("price_unit", NpgsqlDbType.Text, round.Select(c => c.PriceUnit?.Trim().ToUpperInvariant())),
            Column("occurred_at", NpgsqlDbType.TimestampTz, round.Select(c => c.OccurredAt.ToUniversalTime())),
        ];
    }

    [LoggerMessage(8002, LogLevel.Debug, "Merged {Count} usage event(s) in one transaction")]
    partial void LogApplied(int count);

    [LoggerMessage(8001, LogLevel.Warning,
        "Ignored a usage event for request {RequestId}: its workspace {WorkspaceId} differs from the one already recorded")]
    partial void LogWorkspaceMismatch(Guid requestId, Guid workspaceId);
}
