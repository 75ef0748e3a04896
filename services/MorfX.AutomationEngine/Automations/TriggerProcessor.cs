using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Compliance;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using Npgsql;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// What every trigger consumer does: skip events already handled (redelivery, or twice in one batch), build their data,
/// run the automations, and save everything (CRM writes, runs, outgoing messages, the processed marks) in one transaction;
/// then publish. Shopify events come in batches, each handled in one transaction with set-based reads and writes. An event
/// whose data cannot be stored (a retry would fail the same way) is not a poison message: a batch that meets one is split
/// and each event handled alone, and that event becomes a failed run with code <c>invalid_trigger_data</c> in the history
/// of each automation it would have started.
/// </summary>
public sealed partial class TriggerProcessor(
    EngineDbContext db, AutomationRunner runner, ShopifyOrderSync shopify, ShopifyOrderCopies copies, WorkspaceCache cache,
    RedactionTombstones tombstones, Outbox<EngineDbContext> outbox, ILogger<TriggerProcessor> logger)
{
    public Task HandleAsync(ConsumeContext context, ITriggerEvent e, string trigger, int depth, Dictionary<string, object?> data) =>
        ProcessAsync([e], trigger, (fresh, ct) => !fresh.Contains(e.EventId) ? Task.CompletedTask : runner.RunAsync(new TriggerRun(e.EventId, e.WorkspaceId, trigger, depth, data, null)
        {
            RootEventId = (e as IFanOutEvent)?.RootEventId ?? e.EventId,
            ShopifyOrderId = (e as IFanOutEvent)?.Shopify?.OrderId, ShopifyCustomerId = (e as IFanOutEvent)?.Shopify?.CustomerId,
        }, ct), context.CancellationToken);

    /// <summary>A batch of Shopify events of one trigger: auto-sync into the CRM when on (never for drafts), then run with the synced contacts.</summary>
    public async Task HandleShopifyAsync(IReadOnlyList<ShopifyTrigger> batch, string trigger, CancellationToken ct)
    {
        var unique = batch.DistinctBy(t => t.Event.EventId).ToList();
        foreach (var t in unique)
            if (t.Delivery is { } delivery) outbox.TraceFrom(t.Event.EventId, delivery);
        try
        {
            await ProcessAsync([.. unique.Select(t => t.Event)], trigger, (fresh, ct) => RunShopifyAsync(unique.Where(t => fresh.Contains(t.Event.EventId)).ToList(), trigger, ct), ct);
        }
        catch (Exception fault) when (unique.Count > 1 && IsBadData(fault))
        {
            LogBatchSplit(unique.Count, trigger, fault.GetType().Name);
            foreach (var one in unique) await HandleShopifyAsync([one], trigger, ct);
        }
    }

    async Task RunShopifyAsync(IReadOnlyList<ShopifyTrigger> batch, string trigger, CancellationToken ct)
    {
        var isDraft = trigger == TriggerNames.ShopifyDraftOrderCreated;
        var last = isDraft ? [] : await copies.LoadAsync(batch, ct);
        var verdict = ShopifyOrderCopies.Judge(last.ToDictionary(l => l.Key, l => ShopifyOrderCopies.OrderState.Of(l.Value)), batch,
            update: trigger == TriggerNames.ShopifyOrderUpdated);
        // An update older than what was seen, or the same state again, changes nothing: no CRM write, no run.
        foreach (var t in batch.Where(t => verdict.Stale.Contains(t.Event.EventId))) LogStaleUpdate(t.Event.EventId, t.Order.Id);
        batch = [.. batch.Where(t => !verdict.Stale.Contains(t.Event.EventId))];
        var outdated = verdict.Outdated;

        // What the orders say of their customers' SMS marketing consent, before any marketing step reads it.
        await SmsConsents.RecordAsync(db, [.. batch.SelectMany(t => SmsConsents.FromShopify(t.Event.WorkspaceId, t.Order))], ct);

        var synced = new List<ShopifyTrigger>();
        foreach (var t in batch)
            if (!isDraft && (await cache.IntegrationsAsync(db, t.Event.WorkspaceId, ct)).AutoSyncOrders) synced.Add(t);
        var contacts = synced.Count > 0 ? await shopify.SyncAsync(synced, outdated, ct) : [];

        var data = batch.Select(t => (Trigger: t, Data: TriggerVariables.ForShopifyOrder(t.Order, contacts.GetValueOrDefault(t.Event.EventId)))).ToList();
        var previous = isDraft ? [] : copies.Swap(last, [.. data.Select(d => (d.Trigger, TemplateData.Flatten(d.Data)))], update: trigger == TriggerNames.ShopifyOrderUpdated);
        await runner.RunAsync([.. data.Select(d => new TriggerRun(d.Trigger.Event.EventId, d.Trigger.Event.WorkspaceId, trigger, 0, d.Data,
            previous.GetValueOrDefault(d.Trigger.Event.EventId))
        {
            ShopifyOrderId = d.Trigger.Order.Id, ShopifyCustomerId = d.Trigger.Order.Customer?.Id,
        })], ct);

        // What reconciliation brought and no webhook had: config-api counts it for the shop's delivery health.
        foreach (var recovered in batch.Where(t => t.Reconciled && t.Order.Id is not null).GroupBy(t => t.Event.WorkspaceId))
        {
            var orderIds = recovered.Select(t => t.Order.Id!.Value).Order().ToList();
            outbox.Add(DeterministicGuid.Create(recovered.First().Event.EventId, "recovered"),
                new ShopifyOrdersRecovered(recovered.Key, trigger, orderIds, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> on the events not handled yet and marks them, in one transaction, then publishes. Bad data
    /// in a single event is recorded as failed runs; in a batch it escapes, for the caller to split the batch.
    /// </summary>
    async Task ProcessAsync(IReadOnlyList<ITriggerEvent> events, string trigger, Func<HashSet<Guid>, CancellationToken, Task> run, CancellationToken ct)
    {
        try
        {
            await outbox.SaveInTransactionAsync(async () =>
            {
                var fresh = await NotHandledAsync(events, trigger, ct);
                if (fresh.Count == 0) return;
                var handled = events.Where(e => fresh.Contains(e.EventId)).ToList();
                // An event about a customer redacted after it happened is dropped (marked handled): it must not bring them back.
                foreach (var redacted in await tombstones.RedactedAsync(handled, ct))
                {
                    fresh.Remove(redacted);
                    LogRedacted(redacted, trigger);
                }
                // What the cache lacks of the fresh events' workspaces (automations, integrations): one read each for the batch.
                await cache.PrimeAsync(db, events.Where(e => fresh.Contains(e.EventId)).Select(e => e.WorkspaceId), ct);
                if (fresh.Count > 0) await run(fresh, ct);
                MarkProcessed(handled, trigger);
            }, ct);
        }
        catch (Exception fault) when (events.Count == 1 && IsBadData(fault))
        {
            var e = events[0];
            LogBadData(fault, e.EventId, trigger);
            await outbox.SaveInTransactionAsync(async () =>
            {
                if ((await NotHandledAsync(events, trigger, ct)).Count == 0) return;
                await RecordBadDataAsync(e, trigger, ct);
                MarkProcessed(events, trigger);
            }, ct);
        }
        await outbox.FlushAsync(ct);
    }

    /// <summary>The events of the batch not handled yet: one query.</summary>
    async Task<HashSet<Guid>> NotHandledAsync(IReadOnlyList<ITriggerEvent> events, string trigger, CancellationToken ct)
    {
        var ids = events.Select(e => e.EventId).ToList();
        var handled = await db.ProcessedEvents.Where(p => ids.Contains(p.EventId)).Select(p => p.EventId).ToListAsync(ct);
        foreach (var id in handled) LogDuplicate(id, trigger);
        return [.. ids.Except(handled)];
    }

    void MarkProcessed(IEnumerable<ITriggerEvent> events, string trigger) =>
        db.ProcessedEvents.AddRange(events.Select(e =>
            new ProcessedEvent { EventId = e.EventId, WorkspaceId = e.WorkspaceId, Trigger = trigger, ProcessedAt = DateTimeOffset.UtcNow }));

    async Task RecordBadDataAsync(ITriggerEvent e, string trigger, CancellationToken ct)
    {
        var automations = await db.Automations
            .Where(a => a.WorkspaceId == e.WorkspaceId && a.Trigger == trigger && a.Enabled)
            .Select(a => a.Id).ToListAsync(ct);
        foreach (var automationId in automations)
        {
            var run = new AutomationRun
            {
                Id = DeterministicGuid.Create(e.EventId, $"run:{automationId}"), WorkspaceId = e.WorkspaceId, AutomationId = automationId,
                TriggerEventId = e.EventId, Trigger = trigger, Status = RunStatuses.Failed, StartedAt = DateTimeOffset.UtcNow,
            };
            run.Steps.Add(new AutomationRunStep
            {
                Id = DeterministicGuid.Create(e.EventId, $"{automationId}:trigger:step"), RunId = run.Id, StepIndex = 0,
                Action = "trigger", Status = RunStatuses.Failed, ErrorCode = AutomationValidator.Codes.InvalidTriggerData,
                Error = Texts.InvalidTriggerData,
            });
            db.Runs.Add(run);
        }
    }

    /// <summary>
    /// Faults a retry cannot fix, because they come from the event's data: PostgreSQL's data exceptions (class 22: bad
    /// encoding, a number out of range…) and values the driver refuses to encode.
    /// </summary>
    static bool IsBadData(Exception fault) => fault switch
    {
        PostgresException p => p.SqlState.StartsWith("22", StringComparison.Ordinal),
        EncoderFallbackException or InvalidCastException or OverflowException => true,
        ArgumentException when fault.Source?.StartsWith("Npgsql", StringComparison.Ordinal) == true => true,
        _ => fault.InnerException is { } inner && IsBadData(inner),
    };

    [LoggerMessage(2101, LogLevel.Debug, "Event {EventId} ({Trigger}) already handled; redelivery ignored")]
    partial void LogDuplicate(Guid eventId, string trigger);

    [LoggerMessage(2105, LogLevel.Information, "Event {EventId} ({Trigger}) names a customer redacted after it happened; dropped")]
    partial void LogRedacted(Guid eventId, string trigger);

    [LoggerMessage(2104, LogLevel.Debug, "Event {EventId}: Shopify order {OrderId}'s update is not newer than the state already seen; ignored")]
    partial void LogStaleUpdate(Guid eventId, long? orderId);

    [LoggerMessage(2102, LogLevel.Error, "Event {EventId} ({Trigger}) has data that cannot be stored; recorded as a failed run")]
    partial void LogBadData(Exception exception, Guid eventId, string trigger);

    [LoggerMessage(2103, LogLevel.Warning, "A batch of {Count} {Trigger} events met data that cannot be stored ({ErrorType}); each event is handled alone")]
    partial void LogBatchSplit(int count, string trigger, string errorType);
}
