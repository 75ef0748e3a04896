using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Fairness;

namespace MorfX.AutomationEngine.Automations;

/// <summary>Publishes outbox rows the immediate publish missed (broker down or restarting), then marks them sent.</summary>
public sealed partial class OutboxDispatcher(IServiceScopeFactory scopes, FairPublisher publisher, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    // Rows younger than this are still being flushed by the consumer that wrote them.
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var sent = await DispatchAsync(ct);
                if (sent > 0) LogDispatched(sent);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogFailed(e.GetType().Name, e.Message);
            }
            try { await Task.Delay(Interval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    async Task<int> DispatchAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EngineDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => DispatchAsync(db, ct));
    }

    async Task<int> DispatchAsync(EngineDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var cutoff = DateTimeOffset.UtcNow - Grace;
        // SKIP LOCKED: several engine instances share the work instead of publishing the same rows.
        var rows = await db.OutboxMessages.FromSql($"""
            SELECT * FROM outbox_messages WHERE sent_at IS NULL AND created_at < {cutoff}
            ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        foreach (var row in rows)
        {
            var (message, type) = EngineOutbox.Read(row);
            await publisher.PublishAsync(message, type, ct);
            row.SentAt = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    [LoggerMessage(2502, LogLevel.Information, "Outbox dispatcher published {Count} deferred messages")]
    partial void LogDispatched(int count);

    [LoggerMessage(2503, LogLevel.Warning, "Outbox dispatch failed: {ErrorType} {ErrorMessage}")]
    partial void LogFailed(string errorType, string errorMessage);
}
