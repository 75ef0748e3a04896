using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// The last seen copy of each Shopify order, which "changed to" conditions compare with and which decides what is out of
/// date. A batch reads the copies it needs in one query (<see cref="LoadAsync"/>) and swaps them in the batch's order (a
/// second update of an order in one batch compares with the first); the changes are saved with the caller's transaction.
/// </summary>
public sealed class ShopifyOrderCopies(EngineDbContext db)
{
    /// <summary>The batch's copies, by workspace and order id: one query.</summary>
    public async Task<Dictionary<(Guid WorkspaceId, long OrderId), LastShopifyOrder>> LoadAsync(IReadOnlyList<ShopifyTrigger> batch, CancellationToken ct)
    {
        var keyed = batch.Where(t => t.Order.Id is not null).ToList();
        if (keyed.Count == 0) return [];
        var workspaces = keyed.Select(t => t.Event.WorkspaceId).ToArray();
        var orderIds = keyed.Select(t => t.Order.Id!.Value).ToArray();
        return await db.LastShopifyOrders.FromSql($"""
            SELECT l.* FROM last_shopify_orders l
            WHERE (l.workspace_id, l.shopify_order_id) IN (SELECT * FROM unnest({workspaces}, {orderIds}))
            """).ToDictionaryAsync(l => (l.WorkspaceId, l.ShopifyOrderId), ct);
    }

    /// <summary>
    /// An order state older than the copy: it must neither replace the copy nor the CRM's order. Shopify does not deliver in
    /// order, and retries carry the original payload, so the payload's <c>updated_at</c> decides; between two webhooks of one
    /// <c>updated_at</c> the later <c>X-Shopify-Triggered-At</c> (the event's OccurredAt) does. A state read by reconciliation
    /// is the order as of its <c>updated_at</c>, so a webhook of that same moment adds nothing.
    /// </summary>
    public static bool IsOutdated(LastShopifyOrder? last, ShopifyTrigger t)
    {
        if (last?.OrderUpdatedAt is not { } seen || t.Order.UpdatedAt is not { } state) return false;
        if (state != seen) return state < seen;
        return last.StateReconciled || (last.UpdateTriggeredAt is { } triggered && t.Event.OccurredAt <= triggered);
    }

    /// <summary>
    /// An <c>orders/updated</c> that changes nothing: outdated, or the same state again. Reconciliation reads states the
    /// engine may have seen, so its update counts only when newer than the copy.
    /// </summary>
    public static bool IsStaleUpdate(LastShopifyOrder? last, ShopifyTrigger t) =>
        IsOutdated(last, t) || (t.Reconciled && last?.OrderUpdatedAt is { } seen && t.Order.UpdatedAt <= seen);

    /// <summary>The previous copy of each event's order fields (null when never seen), by event id; records the current ones unless outdated.</summary>
    public Dictionary<Guid, IReadOnlyDictionary<string, string?>?> Swap(
        Dictionary<(Guid WorkspaceId, long OrderId), LastShopifyOrder> copies,
        IReadOnlyList<(ShopifyTrigger Trigger, Dictionary<string, string?> Fields)> batch, bool update)
    {
        var previous = new Dictionary<Guid, IReadOnlyDictionary<string, string?>?>();
        foreach (var (t, fields) in batch.Where(b => b.Trigger.Order.Id is not null))
        {
            var (e, o) = (t.Event, t.Order);
            var key = (e.WorkspaceId, o.Id!.Value);
            var last = copies.GetValueOrDefault(key);
            previous[e.EventId] = last is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(last.Fields);
            if (last is null)
            {
                last = new LastShopifyOrder { WorkspaceId = e.WorkspaceId, ShopifyOrderId = key.Item2, Fields = "" };
                db.LastShopifyOrders.Add(last);
                copies[key] = last;
            }
            else if (IsOutdated(last, t)) continue;
            last.Fields = JsonSerializer.Serialize(fields);
            // What breaks a tie with later webhooks of this same state.
            if (o.UpdatedAt != last.OrderUpdatedAt) (last.UpdateTriggeredAt, last.StateReconciled) = (null, false);
            if (update) last.UpdateTriggeredAt = Later(last.UpdateTriggeredAt, e.OccurredAt);
            last.StateReconciled |= t.Reconciled;
            last.OrderUpdatedAt = o.UpdatedAt ?? last.OrderUpdatedAt;
            last.ShopifyCustomerId ??= o.Customer?.Id;
            last.SeenAt = DateTimeOffset.UtcNow;
        }
        return previous;
    }

    static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
