using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// What every trigger consumer does: skip an event already handled (redelivery), build its data, run the
/// automations, and save everything (CRM writes, runs, outgoing messages, the processed mark) in one transaction.
/// </summary>
public sealed partial class TriggerProcessor(
    EngineDbContext db, AutomationRunner runner, ShopifyOrderSync shopify, EngineOutbox outbox, ILogger<TriggerProcessor> logger)
{
    public async Task HandleAsync(ConsumeContext context, ITriggerEvent e, string trigger, int depth, Dictionary<string, object?> data)
    {
        if (await AlreadyHandledAsync(e, trigger, context.CancellationToken)) return;
        await runner.RunAsync(new TriggerRun(e.EventId, e.WorkspaceId, trigger, depth, data, null), context.CancellationToken);
        await CompleteAsync(e, trigger, context.CancellationToken);
    }

    /// <summary>Shopify orders: auto-sync into the CRM when on (never for drafts), then run with the synced contact.</summary>
    public async Task HandleShopifyAsync(ConsumeContext context, ITriggerEvent e, string trigger, ShopifyOrder order)
    {
        var ct = context.CancellationToken;
        if (await AlreadyHandledAsync(e, trigger, ct)) return;
        var isDraft = trigger == TriggerNames.ShopifyDraftOrderCreated;
        var integrations = await db.IntegrationsOfAsync(e.WorkspaceId, ct);
        var contact = !isDraft && integrations.AutoSyncOrders ? await shopify.SyncAsync(e, order, ct) : null;

        var data = TriggerVariables.ForShopifyOrder(order, contact);
        var previous = isDraft ? null : await shopify.SwapLastCopyAsync(e.WorkspaceId, order, TemplateData.Flatten(data), ct);
        await runner.RunAsync(new TriggerRun(e.EventId, e.WorkspaceId, trigger, 0, data, previous), ct);
        await CompleteAsync(e, trigger, ct);
    }

    async Task<bool> AlreadyHandledAsync(ITriggerEvent e, string trigger, CancellationToken ct)
    {
        // A retry may reuse this scope: start from a clean change tracker and outbox.
        db.ChangeTracker.Clear();
        outbox.Discard();
        if (!await db.ProcessedEvents.AnyAsync(p => p.EventId == e.EventId, ct)) return false;
        LogDuplicate(e.EventId, trigger);
        return true;
    }

    async Task CompleteAsync(ITriggerEvent e, string trigger, CancellationToken ct)
    {
        db.ProcessedEvents.Add(new ProcessedEvent { EventId = e.EventId, WorkspaceId = e.WorkspaceId, Trigger = trigger, ProcessedAt = DateTimeOffset.UtcNow });
        // A concurrent delivery of the same event fails here on a unique key; its retry then finds it handled.
        await db.SaveChangesAsync(ct);
        await outbox.FlushAsync(ct);
    }

    [LoggerMessage(2101, LogLevel.Information, "Event {EventId} ({Trigger}) already handled; redelivery ignored")]
    partial void LogDuplicate(Guid eventId, string trigger);
}
