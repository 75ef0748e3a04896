using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MorfX.ServiceDefaults.Fairness;

namespace MorfX.ServiceDefaults.Outbox;

/// <summary>
/// Each pass: marks sent, in one UPDATE per batch, the rows this instance published right after their commit; then publishes the
/// rows nobody published (older than the grace, so not still in flight) and marks them in the same transaction. SKIP LOCKED:
/// several instances share the leftovers instead of publishing the same rows.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, FairPublisher publisher, OutboxOptions<TContext> options, OutboxAcknowledgements<TContext> acknowledgements,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    const int MarkBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PassAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogFailed(e.GetType().Name, e.Message);
            }
            try { await Task.Delay(options.Interval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass (the background loop's, or a test's): marks what was published, then publishes what was missed.</summary>
    public async Task PassAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        while (acknowledgements.Take(MarkBatch) is { Count: > 0 } ids)
        {
            await db.Set<OutboxMessage>().Where(m => ids.Contains(m.Id) && m.SentAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, DateTimeOffset.UtcNow), ct);
            acknowledgements.Marked(ids);
            if (ids.Count < MarkBatch) break;
        }
        int sent;
        do
        {
            sent = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => DispatchAsync(db, ct));
            if (sent > 0) LogDispatched(sent);
        }
        while (sent == options.BatchSize && !ct.IsCancellationRequested);
    }

    async Task<int> DispatchAsync(TContext db, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var cutoff = DateTimeOffset.UtcNow - options.Grace;
        var rows = (await db.Set<OutboxMessage>().FromSql($"""
            SELECT * FROM outbox_messages WHERE sent_at IS NULL AND created_at < {cutoff} AND message_type = ANY({options.TypeNames})
            ORDER BY created_at LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct)).Where(r => !acknowledgements.IsPublished(r.Id)).ToList();
        if (rows.Count == 0) return 0;
        // All at once, so the broker confirms them together; a failure fails the pass, and the rows stay for the next one.
        await Task.WhenAll(rows.Select(row =>
        {
            var type = options.TypeOf(row.MessageType);
            return publisher.PublishAsync(JsonSerializer.Deserialize(row.Body, type.Type)!, type.Type, row.Id, ct);
        }));
        var now = DateTimeOffset.UtcNow;
        foreach (var row in rows) row.SentAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    [LoggerMessage(2502, LogLevel.Information, "Outbox dispatcher published {Count} deferred messages")]
    partial void LogDispatched(int count);

    [LoggerMessage(2503, LogLevel.Warning, "Outbox dispatch failed: {ErrorType} {ErrorMessage}")]
    partial void LogFailed(string errorType, string errorMessage);
}
