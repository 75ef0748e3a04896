using System.Runtime.CompilerServices;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MorfX.Messaging.Fairness;

namespace MorfX.Messaging.Outbox;

/// <summary>
/// The one way a service pairs a database write with a publish. <see cref="Add"/> writes the message as a row of the same
/// DbContext, so it commits (or not) with the change that causes it; <see cref="FlushAsync"/> publishes right after the commit,
/// and hands the published ids to <see cref="OutboxDispatcher{TContext}"/>, which marks them sent many at a time (no commit per
/// message on the hot path) and publishes whatever the immediate publish missed (broker down or restarting). Each row's id is
/// the message's own deterministic id, so a consumer dedupes a message published twice.
/// </summary>
public sealed partial class Outbox<TContext>(
    TContext db, FairPublisher publisher, OutboxOptions<TContext> options, OutboxAcknowledgements<TContext> acknowledgements,
    ILogger<Outbox<TContext>> logger)
    where TContext : DbContext
{
    readonly List<(OutboxMessage Row, object Message)> _pending = [];
    readonly Dictionary<Guid, ConsumeContext> _deliveries = [];

    /// <summary>
    /// The delivery a message's cause came in: a message whose type names a trace key
    /// (<see cref="OutboxOptions{TContext}.Message{T}"/>) is published in that delivery's trace, so an order stays one trace even when its event was handled in a batch.
    /// </summary>
    public void TraceFrom(Guid key, ConsumeContext delivery) => _deliveries[key] = delivery;

    /// <summary>Writes the message into the DbContext's current unit of work; <paramref name="id"/> is its MessageId.</summary>
    public void Add(Guid id, object message)
    {
        var type = options.TypeOf(message.GetType().Name);
        var row = new OutboxMessage
        {
            Id = id, MessageType = type.Type.Name, Body = JsonSerializer.Serialize(message), CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Set<OutboxMessage>().Add(row);
        _pending.Add((row, message));
    }

    /// <summary>
    /// Saves the pending messages in the same statement as <paramref name="claim"/>, a data-modifying CTE body that returns a row
    /// only when it claimed something (<c>INSERT … ON CONFLICT DO NOTHING RETURNING 1</c>): one round trip and one commit, and no
    /// message unless the claim succeeded. A message whose id is already in the outbox (the same event under another claim) is
    /// not written again. Returns whether any message was written. For a hot path with nothing else to write (webhook-ingest).
    /// </summary>
    public async Task<bool> SaveWithClaimAsync(FormattableString claim, CancellationToken ct)
    {
        var rows = TakeRows();
        if (rows.Count == 0)
            throw new InvalidOperationException("SaveWithClaimAsync needs a message: the rows it inserts say whether it claimed.");
        var n = claim.ArgumentCount;
        var sql = FormattableStringFactory.Create(
            $"WITH claimed AS ({claim.Format}) INSERT INTO outbox_messages (id, message_type, body, created_at) " +
            $"SELECT r.id, r.message_type, r.body::jsonb, r.created_at FROM claimed, " +
            $"unnest({{{n}}}, {{{n + 1}}}, {{{n + 2}}}, {{{n + 3}}}) AS r(id, message_type, body, created_at) " +
            "ON CONFLICT (id) DO NOTHING",
            [.. claim.GetArguments(), rows.Select(r => r.Id).ToArray(), rows.Select(r => r.MessageType).ToArray(),
                rows.Select(r => r.Body).ToArray(), rows.Select(r => r.CreatedAt).ToArray()]);
        var inserted = await db.Database.ExecuteSqlAsync(sql, ct);
        if (inserted == 0) Discard();
        return inserted > 0;
    }

    /// <summary>
    /// The pending messages' rows, for a writer that commits them itself (webhook-ingest's claims, many callers to a
    /// statement); <see cref="FlushAsync"/> then publishes them, or <see cref="Discard"/> forgets them if they were not written.
    /// </summary>
    public IReadOnlyList<OutboxMessage> TakeRows()
    {
        var rows = _pending.Select(p => p.Row).ToList();
        foreach (var row in rows) db.Entry(row).State = EntityState.Detached;
        return rows;
    }

    /// <summary>
    /// Saves the pending messages on their own: one statement and one commit, a message already in the outbox not written again.
    /// Returns whether any message was written.
    /// </summary>
    public Task<bool> SaveAsync(CancellationToken ct) => SaveWithClaimAsync($"SELECT 1", ct);

    /// <summary>Forgets messages of an attempt that did not commit.</summary>
    public void Discard() => _pending.Clear();

    /// <summary>
    /// Runs <paramref name="work"/> and saves what it changed and added to the outbox in one transaction, rerun whole by EF's
    /// execution strategy on a transient fault (each attempt starts from a clean change tracker and outbox). Call
    /// <see cref="FlushAsync"/> afterwards. A single SaveChanges is a transaction of its own and needs no wrapper.
    /// </summary>
    public Task SaveInTransactionAsync(Func<Task> work, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            Discard();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await work();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });

    /// <summary>
    /// After the commit: publishes every pending message at once (the broker confirms them together), those marked first
    /// before the rest. What fails or is not confirmed within <see cref="OutboxOptions{TContext}.PublishTimeout"/> stays for the
    /// dispatcher; the caller's answer does not depend on it. Only <paramref name="ct"/> itself cancels.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        var pending = _pending.OrderBy(p => options.TypeOf(p.Row.MessageType).First ? 0 : 1).ToList();
        _pending.Clear();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.PublishTimeout);
        var outcomes = await Task.WhenAll(pending.Select(p => PublishAsync(p.Row, p.Message, timeout.Token)));
        acknowledgements.Published(outcomes.Where(o => o.Error is null).Select(o => o.Id));
        ct.ThrowIfCancellationRequested();
        if (outcomes.FirstOrDefault(o => o.Error is not null).Error is { } error)
            LogDeferred(outcomes.Count(o => o.Error is not null), error.GetType().Name);
    }

    async Task<(Guid Id, Exception? Error)> PublishAsync(OutboxMessage row, object message, CancellationToken ct)
    {
        var type = options.TypeOf(row.MessageType);
        using var trace = type.TraceKey?.Invoke(message) is { } key && _deliveries.TryGetValue(key, out var delivery)
            ? MessageTraces.Continue(delivery, type.Span) : null;
        try
        {
            await publisher.PublishAsync(message, type.Type, row.Id, ct);
            return (row.Id, null);
        }
        // A broker that does not confirm in time is a failure like any other; the caller's own cancellation is checked after.
        catch (Exception e) { return (row.Id, e); }
    }

    [LoggerMessage(9201, LogLevel.Warning, "Publishing {Count} outbox messages failed ({ErrorType}); the dispatcher will retry")]
    partial void LogDeferred(int count, string errorType);
}
