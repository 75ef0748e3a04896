using Microsoft.EntityFrameworkCore;
using MorfX.Rules;
using Npgsql;
using NpgsqlTypes;

namespace MorfX.UsageApi.Data;

/// <summary>
/// Merges an event into the message's row with one INSERT … ON CONFLICT DO UPDATE. Every column merges with
/// an order-independent rule (first non-null fact, highest-ranked status, earliest time, a price once set
/// stays, failed means no cost), so repeated and out-of-order events converge to the same row; that is
/// also what makes the consumers idempotent without a separate "seen" table.
/// </summary>
public sealed partial class SmsUsageWriter(UsageDbContext db, ILogger<SmsUsageWriter> logger)
{
    const string Upsert = """
        INSERT INTO sms_usage AS s (request_id, workspace_id, automation_id, message_sid, to_number, body,
                                    status, status_rank, segments, cost, price_unit, sent_at, updated_at)
        VALUES (@request_id, @workspace_id, @automation_id, @message_sid, @to_number, @body,
                @status, @status_rank, @segments,
                CASE WHEN @status = 'failed' THEN NULL ELSE @cost END, @price_unit, @occurred_at, now())
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
        """;

    /// <summary>
    /// Merges a batch of events in ONE round trip and ONE transaction (an NpgsqlBatch runs in one implicit transaction),
    /// one upsert per event, each request's in the order given: several events of one request converge within the batch as one by one.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<SmsUsageChange> changes, CancellationToken ct)
    {
        if (changes.Count == 0) return;
        var affected = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await db.Database.OpenConnectionAsync(token);
            try
            {
                await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
                // Rows are locked in request order whatever the batch (a stable sort keeps one request's events in arrival
                // order): two batches touching the same rows at once wait for each other instead of deadlocking.
                foreach (var change in changes.OrderBy(c => c.RequestId))
                {
                    var command = new NpgsqlBatchCommand(Upsert);
                    command.Parameters.AddRange(Parameters(change));
                    batch.BatchCommands.Add(command);
                }
                await batch.ExecuteNonQueryAsync(token);
                return batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.RecordsAffected).ToList();
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }, ct);
        foreach (var (change, rows) in changes.OrderBy(c => c.RequestId).Zip(affected))
            if (rows == 0) LogWorkspaceMismatch(change.RequestId, change.WorkspaceId);
        LogApplied(changes.Count);
    }

    static NpgsqlParameter[] Parameters(SmsUsageChange change)
    {
        var status = SmsStatuses.Normalize(change.Status);
        return
        [
            new("request_id", NpgsqlDbType.Uuid) { Value = change.RequestId },
            new("workspace_id", NpgsqlDbType.Uuid) { Value = change.WorkspaceId },
            new("automation_id", NpgsqlDbType.Uuid) { Value = (object?)change.AutomationId ?? DBNull.Value },
            new("message_sid", NpgsqlDbType.Text) { Value = (object?)change.MessageSid ?? DBNull.Value },
            new("to_number", NpgsqlDbType.Text) { Value = (object?)change.To ?? DBNull.Value },
            new("body", NpgsqlDbType.Text) { Value = (object?)change.Body ?? DBNull.Value },
            new("status", NpgsqlDbType.Text) { Value = (object?)status ?? DBNull.Value },
            new("status_rank", NpgsqlDbType.Integer) { Value = SmsStatuses.Rank(status) },
            new("segments", NpgsqlDbType.Integer) { Value = Math.Max(0, change.Segments) },
            // Twilio reports a charge as a negative price; the read model keeps costs positive.
            new("cost", NpgsqlDbType.Numeric) { Value = change.Cost is { } cost ? Math.Abs(cost) : DBNull.Value },
            new("price_unit", NpgsqlDbType.Text) { Value = (object?)change.PriceUnit?.Trim().ToUpperInvariant() ?? DBNull.Value },
            new("occurred_at", NpgsqlDbType.TimestampTz) { Value = change.OccurredAt.ToUniversalTime() },
        ];
    }

    [LoggerMessage(2002, LogLevel.Debug, "Merged {Count} usage event(s) in one transaction")]
    partial void LogApplied(int count);

    [LoggerMessage(2001, LogLevel.Warning,
        "Ignored a usage event for request {RequestId}: its workspace {WorkspaceId} differs from the one already recorded")]
    partial void LogWorkspaceMismatch(Guid requestId, Guid workspaceId);
}
