using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Shopify;
using MorfX.Contracts;

namespace MorfX.ConfigApi.Consumers;

/// <summary>The engine ran orders from reconciliation: counted once per order and trigger for the shop's delivery health.</summary>
public sealed class ShopifyOrdersRecoveredConsumer(ConfigDbContext db, ShopifyMetrics metrics) : IConsumer<ShopifyOrdersRecovered>
{
    public async Task Consume(ConsumeContext<ShopifyOrdersRecovered> context)
    {
        var m = context.Message;
        var orderIds = m.OrderIds.ToArray();
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO shopify_recovered_orders (workspace_id, trigger, order_id, recovered_at)
            SELECT {m.WorkspaceId}, {m.Trigger}, id, {m.RecoveredAt} FROM unnest({orderIds}) AS id
            ON CONFLICT DO NOTHING
            """, context.CancellationToken);
        if (inserted > 0) metrics.Recovered(m.Trigger, inserted);
    }
}
