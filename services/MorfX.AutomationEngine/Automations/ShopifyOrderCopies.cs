using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// The last seen copy of each Shopify order, which "changed to" conditions compare with and which decides what is out of
/// date. A batch reads the copies it needs in one query (<see cref="LoadAsync"/>), is judged in its own order
/// (<see cref="Judge"/>: a second update of an order in one batch is judged against the first), and the copies are swapped
/// in that same order (<see cref="Swap"/>); the changes are saved with the caller's transaction.
/// </summary>
public sealed class ShopifyOrderCopies(EngineDbContext db)
{
    /// <summary>
    /// What decides whether an order state is news: its <c>updated_at</c>, the latest <c>X-Shopify-Triggered-At</c> of the
    /// <c>orders/updated</c> webhooks of that state, and whether reconciliation read it (the order as of that moment, which no
    /// webhook of the same moment can add to).
    /// </summary>
    public readonly record struct OrderState(DateTimeOffset? UpdatedAt, DateTimeOffset? UpdateTriggeredAt, bool Reconciled)
    {
        public static OrderState Of(LastShopifyOrder copy) => new(copy.OrderUpdatedAt, copy.UpdateTriggeredAt, copy.StateReconciled);
    }

    /// <summary>The events of a judged batch whose state is older than what was seen, and the updates that change nothing.</summary>
    public sealed record Verdict(HashSet<Guid> Outdated, HashSet<Guid> Stale);

    /// <summary>
    /// The batch's copies, by workspace and order id: one query, which locks them until the caller's transaction ends. Two
    /// batches may hold updates of one order (Shopify retries an older state late); the second waits and judges against
    /// what the first wrote, so an older state never overwrites a newer one in the CRM. Locked in key order: no deadlock
    /// between batches.
    /// </summary>
    public async Task<Dictionary<(Guid WorkspaceId, long OrderId), LastShopifyOrder>> LoadAsync(IReadOnlyList<ShopifyTrigger> batch, CancellationToken ct)
    {
        var keyed = batch.Where(t => t.Order.Id is not null).ToList();
        if (keyed.Count == 0) return [];
        var workspaces = keyed.Select(t => t.Event.WorkspaceId).ToArray();
        var orderIds = keyed.Select(t => t.Order.Id!.Value).ToArray();
        return await db.LastShopifyOrders.FromSql($"""
            SELECT l.* FROM last_shopify_orders l
            WHERE (l.workspace_id, l.shopify_order_id) IN (SELECT * FROM unnest({workspaces}, {orderIds}))
            ORDER BY l.workspace_id, l.shopify_order_id
            FOR UPDATE
            """).ToDictionaryAsync(l => (l.WorkspaceId, l.ShopifyOrderId), ct);
    }

    /// <summary>
    /// Walks the batch in its order from the stored states. Shopify does not deliver in order and retries carry the original
    /// payload, so an event whose <c>updated_at</c> is older than the state seen (or equal and triggered no later, or of a
    /// state reconciliation read) is outdated: it must neither replace the copy nor the CRM's order. An outdated update is
    /// stale (no run), and so is a reconciled update not newer than what was seen: reconciliation reads states a webhook may
    /// have brought.
    /// </summary>
    public static Verdict Judge(IReadOnlyDictionary<(Guid WorkspaceId, long OrderId), OrderState> stored, IReadOnlyList<ShopifyTrigger> batch, bool update)
    {
        var states = new Dictionary<(Guid, long), OrderState>(stored);
        var verdict = new Verdict([], []);
        foreach (var t in batch.Where(t => t.Order.Id is not null))
        {
            var key = (t.Event.WorkspaceId, t.Order.Id!.Value);
            OrderState? seen = states.TryGetValue(key, out var s) ? s : null;
            var outdated = seen is { } state && IsOutdated(state, t);
            if (outdated) verdict.Outdated.Add(t.Event.EventId);
            if (update && (outdated || (t.Reconciled && seen?.UpdatedAt is { } at && t.Order.UpdatedAt <= at)))
            {
                verdict.Stale.Add(t.Event.EventId);
                continue;
            }
            if (!outdated) states[key] = Next(seen, t, update);
        }
        return verdict;
    }

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
            OrderState? seen = null;
            if (last is null)
            {
                last = new LastShopifyOrder { WorkspaceId = e.WorkspaceId, ShopifyOrderId = key.Item2, Fields = "" };
                db.LastShopifyOrders.Add(last);
                copies[key] = last;
            }
            else if (IsOutdated(OrderState.Of(last), t)) continue;
            else seen = OrderState.Of(last);
            var next = Next(seen, t, update);
            (last.OrderUpdatedAt, last.UpdateTriggeredAt, last.StateReconciled) = (next.UpdatedAt, next.UpdateTriggeredAt, next.Reconciled);
            last.Fields = JsonSerializer.Serialize(fields);
            last.ShopifyCustomerId ??= o.Customer?.Id;
            last.SeenAt = DateTimeOffset.UtcNow;
        }
        return previous;
    }

    static bool IsOutdated(OrderState seen, ShopifyTrigger t)
    {
        if (seen.UpdatedAt is not { } at || t.Order.UpdatedAt is not { } state) return false;
        if (state != at) return state < at;
        return seen.Reconciled || (seen.UpdateTriggeredAt is { } triggered && t.Event.OccurredAt <= triggered);
    }

    /// <summary>The state after <paramref name="t"/> (not outdated) is applied: a new updated_at starts its tie-break afresh.</summary>
    static OrderState Next(OrderState? seen, ShopifyTrigger t, bool update)
    {
        var state = seen is { } s && s.UpdatedAt == t.Order.UpdatedAt ? s : new OrderState(t.Order.UpdatedAt ?? seen?.UpdatedAt, null, false);
        var triggered = update && (state.UpdateTriggeredAt is not { } before || t.Event.OccurredAt > before) ? t.Event.OccurredAt : state.UpdateTriggeredAt;
        return state with { UpdateTriggeredAt = triggered, Reconciled = state.Reconciled || t.Reconciled };
    }
}
