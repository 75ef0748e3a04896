using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using Npgsql;
using MorfX.ServiceDefaults.Messaging;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// What every trigger consumer does: skip an event already handled (redelivery), build its data, run the automations,
/// and save everything (CRM writes, runs, outgoing messages, the processed mark) in one transaction. An event whose
/// data cannot be stored (a retry would fail the same way) is not a poison message: it becomes a failed run with
/// code <c>invalid_trigger_data</c> in the history of each automation it would have started.
/// </summary>
public sealed partial class TriggerProcessor(
    EngineDbContext db, AutomationRunner runner, ShopifyOrderSync shopify, EngineOutbox outbox, ILogger<TriggerProcessor> logger)
{
    public Task HandleAsync(ConsumeContext context, ITriggerEvent e, string trigger, int depth, Dictionary<string, object?> data) =>
        ProcessAsync(e, trigger, ct => runner.RunAsync(new TriggerRun(e.EventId, e.WorkspaceId, trigger, depth, data, null)
        {
            RootEventId = (e as IFanOutEvent)?.RootEventId ?? e.EventId,
        }, ct), context.CancellationToken);

    /// <summary>Shopify orders: auto-sync into the CRM when on (never for drafts), then run with the synced contact.</summary>
    public Task HandleShopifyAsync(ConsumeContext context, ITriggerEvent e, string trigger, ShopifyOrder order) =>
        ProcessAsync(e, trigger, async ct =>
        {
            var isDraft = trigger == TriggerNames.ShopifyDraftOrderCreated;
            var integrations = await db.IntegrationsOfAsync(e.WorkspaceId, ct);
            var contact = !isDraft && integrations.AutoSyncOrders ? await shopify.SyncAsync(e, order, ct) : null;

            var data = TriggerVariables.ForShopifyOrder(order, contact);
            var previous = isDraft ? null : await shopify.SwapLastCopyAsync(e.WorkspaceId, order, TemplateData.Flatten(data), ct);
            await runner.RunAsync(new TriggerRun(e.EventId, e.WorkspaceId, trigger, 0, data, previous)
            {
                ShopifyOrderId = order.Id, ShopifyCustomerId = order.Customer?.Id,
            }, ct);
        }, context.CancellationToken);

    async Task ProcessAsync(ITriggerEvent e, string trigger, Func<CancellationToken, Task> run, CancellationToken ct)
    {
        try
        {
            await outbox.SaveInTransactionAsync(async () =>
            {
                if (await AlreadyHandledAsync(e, ct)) { LogDuplicate(e.EventId, trigger); return; }
                await run(ct);
                MarkProcessed(e, trigger);
            }, ct);
        }
        catch (Exception fault) when (IsBadData(fault))
        {
            LogBadData(fault, e.EventId, trigger);
            await outbox.SaveInTransactionAsync(async () =>
            {
                if (await AlreadyHandledAsync(e, ct)) return;
                await RecordBadDataAsync(e, trigger, ct);
                MarkProcessed(e, trigger);
            }, ct);
        }
        await outbox.FlushAsync(ct);
    }

    Task<bool> AlreadyHandledAsync(ITriggerEvent e, CancellationToken ct) => db.ProcessedEvents.AnyAsync(p => p.EventId == e.EventId, ct);

    void MarkProcessed(ITriggerEvent e, string trigger) =>
        db.ProcessedEvents.Add(new ProcessedEvent { EventId = e.EventId, WorkspaceId = e.WorkspaceId, Trigger = trigger, ProcessedAt = DateTimeOffset.UtcNow });

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
                Error = "El evento trajo datos que no se pueden guardar (texto o números fuera de rango): la automatización no se ejecutó.",
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

    [LoggerMessage(2101, LogLevel.Information, "Event {EventId} ({Trigger}) already handled; redelivery ignored")]
    partial void LogDuplicate(Guid eventId, string trigger);

    [LoggerMessage(2102, LogLevel.Error, "Event {EventId} ({Trigger}) has data that cannot be stored; recorded as a failed run")]
    partial void LogBadData(Exception exception, Guid eventId, string trigger);
}
