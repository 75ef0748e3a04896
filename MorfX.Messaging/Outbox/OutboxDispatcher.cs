using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MorfX.Messaging.Fairness;
using MorfX.ServiceDefaults;

namespace MorfX.Messaging.Outbox;

/// <summary>
/// Each pass: marks sent, in one UPDATE per batch, the rows this instance published right after their commit; then publishes the
/// rows nobody published (older than the grace, so not still in flight) and marks them in the same transaction, each by its own
/// outcome: a row that fails waits and is tried again, and one that cannot be published is parked (<see cref="Failed"/>).
/// SKIP LOCKED: several instances share the leftovers instead of publishing the same rows.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes, FairPublisher publisher, OutboxOptions<TContext> options, OutboxAcknowledgements<TContext> acknowledgements,
    Meter meter, ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    const int MarkBatch = 1000;

    /// <summary>Failures of a row, while others go out, before it is parked.</summary>
    public const int MaxAttempts = 5;

    static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    readonly Counter<long> parked = meter.CreateCounter<long>("morfx.outbox.parked", description: "Outbox messages parked: unreadable, or refused while others were published");

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

    /// <summary>
    /// One pass (the background loop's, or a test's): marks what was published, then publishes what was missed. Only a pass
    /// that publishes is a trace: marking is bookkeeping.
    /// </summary>
    public async Task PassAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("outbox dispatch");
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
            sent = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => DispatchAsync(db, pass, ct));
            if (sent > 0) LogDispatched(sent);
        }
        while (sent == options.BatchSize && !ct.IsCancellationRequested);
    }

    async Task<int> DispatchAsync(TContext db, BackgroundPass pass, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var cutoff = now - options.Grace;
        var rows = (await db.Set<OutboxMessage>().FromSql($"""
            SELECT * FROM outbox_messages
            WHERE sent_at IS NULL AND parked_reason IS NULL AND created_at < {cutoff} AND (retry_at IS NULL OR retry_at <= {now})
              AND message_type = ANY({options.TypeNames})
            ORDER BY created_at LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct)).Where(r => !acknowledgements.IsPublished(r.Id)).ToList();
        if (rows.Count == 0) return 0;
        pass.Working(rows.Count);
        // All at once, so the broker confirms them together; each row keeps its own outcome, so one that fails holds back no other.
        var failures = await Task.WhenAll(rows.Select(row => PublishAsync(row, ct)));
        var published = failures.Count(f => f is null);
        foreach (var (row, failure) in rows.Zip(failures))
        {
            if (failure is null) row.SentAt = now;
            else Failed(row, failure, othersWentOut: published > 0, now);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>Publishes one row; its failure, or null.</summary>
    async Task<Exception?> PublishAsync(OutboxMessage row, CancellationToken ct)
    {
        try
        {
            var type = options.TypeOf(row.MessageType);
            var message = JsonSerializer.Deserialize(row.Body, type.Type) ?? throw new JsonException("The body is null.");
            await publisher.PublishAsync(message, type.Type, row.Id, ct);
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return e;
        }
    }

    /// <summary>
    /// A row that cannot be read is parked at once. One the broker refused is tried again later (backing off); it is parked once
    /// it has failed <see cref="MaxAttempts"/> times and failed again while other rows went out, so an outage parks nothing.
    /// </summary>
    void Failed(OutboxMessage row, Exception failure, bool othersWentOut, DateTimeOffset now)
    {
        row.Attempts++;
        var unreadable = failure is JsonException or NotSupportedException;
        if (unreadable || (othersWentOut && row.Attempts >= MaxAttempts))
        {
            row.ParkedReason = $"{failure.GetType().Name}: {failure.Message}";
            parked.Add(1, new KeyValuePair<string, object?>("message_type", row.MessageType));
            LogParked(row.Id, row.MessageType, row.Attempts, row.ParkedReason);
            return;
        }
        row.RetryAt = now + TimeSpan.FromTicks(Math.Min(options.Interval.Ticks << Math.Min(row.Attempts, 10), MaxBackoff.Ticks));
        LogRetrying(row.Id, row.MessageType, row.Attempts, failure.GetType().Name);
    }

    [LoggerMessage(9202, LogLevel.Information, "Outbox dispatcher published {Count} deferred messages")]
    partial void LogDispatched(int count);

    [LoggerMessage(9203, LogLevel.Warning, "Outbox dispatch failed: {ErrorType} {ErrorMessage}")]
    partial void LogFailed(string errorType, string errorMessage);

    [LoggerMessage(9204, LogLevel.Warning, "Outbox message {MessageId} ({MessageType}) not published, attempt {Attempts}: {ErrorType}; retried later")]
    partial void LogRetrying(Guid messageId, string messageType, int attempts, string errorType);

    [LoggerMessage(9205, LogLevel.Error, "Outbox message {MessageId} ({MessageType}) parked after {Attempts} attempts: {Reason}. It stays in outbox_messages (parked_reason) for ops to replay or drop")]
    partial void LogParked(Guid messageId, string messageType, int attempts, string reason);
}
