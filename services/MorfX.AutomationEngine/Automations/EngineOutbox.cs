using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Fairness;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// The engine's transactional outbox. What a trigger causes (SmsRequested, CRM/task events, WhatsApp requests) is
/// written in the same transaction as the runs and the processed mark, so a redelivered event does nothing more;
/// it is published right after the commit, and whatever that publish misses (broker restarting) is published by
/// <see cref="OutboxDispatcher"/> later. Each row's id is the message's own deterministic id, so consumers dedupe.
/// </summary>
public sealed partial class EngineOutbox(EngineDbContext db, FairPublisher publisher, WorkspaceCache cache, ILogger<EngineOutbox> logger)
{
    // The events that only start automations (the engine is their one consumer): written only when one would start.
    static readonly Dictionary<Type, string> FanOutTriggers = new()
    {
        [typeof(CrmContactCreated)] = TriggerNames.CrmContactCreated, [typeof(CrmOrderCreated)] = TriggerNames.CrmOrderCreated,
        [typeof(CrmTagAdded)] = TriggerNames.CrmTagAdded, [typeof(TaskCreated)] = TriggerNames.TaskCreated,
    };

    static readonly Dictionary<string, Type> Types = new Type[]
    {
        typeof(SmsRequested), typeof(SendWhatsAppRequested), typeof(CrmContactCreated), typeof(CrmOrderCreated), typeof(CrmTagAdded), typeof(TaskCreated),
        typeof(SmsRecipientsRedacted), typeof(CustomerSmsDataRequested), typeof(CustomerDataReported),
    }.ToDictionary(t => t.Name);

    readonly List<(OutboxMessage Row, object Message)> _pending = [];
    readonly Dictionary<Guid, ConsumeContext> _deliveries = [];

    /// <summary>
    /// The delivery a trigger event came in: the SmsRequested it causes is published in that delivery's trace, so an order is
    /// one trace from webhook to Twilio even when its event was handled in a batch.
    /// </summary>
    public void TraceFrom(Guid triggerEventId, ConsumeContext delivery) => _deliveries[triggerEventId] = delivery;

    public void Add<T>(Guid id, T message) where T : class
    {
        var row = new OutboxMessage { Id = id, MessageType = typeof(T).Name, Body = JsonSerializer.Serialize(message), CreatedAt = DateTimeOffset.UtcNow };
        db.OutboxMessages.Add(row);
        _pending.Add((row, message));
    }

    /// <summary>
    /// A CRM or task event: nothing but the engine's own automations consume it, so it is written (and published) only when
    /// the workspace has an enabled automation on its trigger; otherwise it would cost a row and a confirmed publish for nobody.
    /// </summary>
    public async Task AddFanOutAsync<T>(T message, CancellationToken ct) where T : class, IFanOutEvent
    {
        if (await cache.HasEnabledAutomationAsync(db, message.WorkspaceId, FanOutTriggers[typeof(T)], ct)) Add(message.EventId, message);
    }

    /// <summary>Forgets messages of an attempt that did not commit.</summary>
    public void Discard() => _pending.Clear();

    /// <summary>
    /// Runs <paramref name="work"/> and saves what it changed and added to the outbox in one transaction, rerun whole by
    /// EF's execution strategy on a transient fault (each attempt starts from a clean change tracker and outbox).
    /// Call <see cref="FlushAsync"/> afterwards.
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
    /// After the commit: publish now and mark sent with one UPDATE; what fails is left to the dispatcher. SmsRequested goes
    /// first (what a customer waits for), and all are in flight at once, so the broker confirms them together.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        var pending = _pending.OrderBy(p => p.Message is SmsRequested ? 0 : 1).ToList();
        _pending.Clear();
        var outcomes = await Task.WhenAll(pending.Select(p => PublishAsync(p.Row, p.Message, ct)));
        if (outcomes.FirstOrDefault(o => o.Error is not null).Error is { } error)
            LogDeferred(outcomes.Count(o => o.Error is not null), error.GetType().Name);
        var ids = outcomes.Where(o => o.Error is null).Select(o => o.Id).ToList();
        if (ids.Count == 0) return;
        try
        {
            var now = DateTimeOffset.UtcNow;
            await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now), ct);
        }
        // Published but not marked: the dispatcher publishes them again, and their consumers dedupe on the id.
        catch (Exception e) when (e is not OperationCanceledException) { LogDeferred(ids.Count, e.GetType().Name); }
    }

    async Task<(Guid Id, Exception? Error)> PublishAsync(OutboxMessage row, object message, CancellationToken ct)
    {
        using var trace = message is SmsRequested { Origin.TriggerEventId: { } eventId } && _deliveries.TryGetValue(eventId, out var delivery)
            ? MessageTraces.Continue(delivery, "automation-engine send_sms") : null;
        try
        {
            await publisher.PublishAsync(message, Types[row.MessageType], ct);
            return (row.Id, null);
        }
        catch (Exception e) when (e is not OperationCanceledException) { return (row.Id, e); }
    }

    public static (object Message, Type Type) Read(OutboxMessage row)
    {
        var type = Types[row.MessageType];
        return (JsonSerializer.Deserialize(row.Body, type)!, type);
    }

    [LoggerMessage(2501, LogLevel.Warning, "Publishing {Count} outbox messages failed ({ErrorType}); the dispatcher will retry")]
    partial void LogDeferred(int count, string errorType);
}
