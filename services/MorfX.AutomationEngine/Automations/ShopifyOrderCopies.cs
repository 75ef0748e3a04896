using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// The last seen copy of each Shopify order, which "changed to" conditions compare with. A batch reads the copies it needs
/// in one query and swaps them in the batch's order (a second update of an order in one batch compares with the first);
/// the changes are saved with the caller's transaction.
/// </summary>
public sealed class ShopifyOrderCopies(EngineDbContext db)
{
    /// <summary>The previous copy of each event's order fields (null when never seen), by event id; records the current ones unless older.</summary>
    public async Task<Dictionary<Guid, IReadOnlyDictionary<string, string?>?>> SwapAsync(
        IReadOnlyList<(ShopifyTrigger Trigger, Dictionary<string, string?> Fields)> batch, CancellationToken ct)
    {
        var previous = new Dictionary<Guid, IReadOnlyDictionary<string, string?>?>();
        var keyed = batch.Where(b => b.Trigger.Order.Id is not null).ToList();
        if (keyed.Count == 0) return previous;
        var workspaces = keyed.Select(b => b.Trigger.Event.WorkspaceId).ToArray();
        var orderIds = keyed.Select(b => b.Trigger.Order.Id!.Value).ToArray();
        var copies = await db.LastShopifyOrders.FromSql($"""
            SELECT l.* FROM last_shopify_orders l
            WHERE (l.workspace_id, l.shopify_order_id) IN (SELECT * FROM unnest({workspaces}, {orderIds}))
            """).ToDictionaryAsync(l => (l.WorkspaceId, l.ShopifyOrderId), ct);

        foreach (var ((e, o), fields) in keyed)
        {
            var key = (e.WorkspaceId, o.Id!.Value);
            var last = copies.GetValueOrDefault(key);
            previous[e.EventId] = last is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(last.Fields);
            var json = JsonSerializer.Serialize(fields);
            if (last is null)
            {
                last = new LastShopifyOrder
                {
                    WorkspaceId = e.WorkspaceId, ShopifyOrderId = key.Item2, ShopifyCustomerId = o.Customer?.Id, Fields = json,
                    OrderUpdatedAt = o.UpdatedAt, SeenAt = DateTimeOffset.UtcNow,
                };
                db.LastShopifyOrders.Add(last);
                copies[key] = last;
            }
            // Shopify does not guarantee order: an older delivery never replaces a newer copy.
            else if (last.OrderUpdatedAt is null || o.UpdatedAt is null || o.UpdatedAt >= last.OrderUpdatedAt)
            {
                last.Fields = json;
                last.OrderUpdatedAt = o.UpdatedAt ?? last.OrderUpdatedAt;
                last.ShopifyCustomerId ??= o.Customer?.Id;
                last.SeenAt = DateTimeOffset.UtcNow;
            }
        }
        return previous;
    }
}
