using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;

namespace MorfX.ConfigApi.Consumers;

/// <summary>webhook-ingest accepted a Shopify delivery: remember it as the topic's last delivery, shown next to the subscription.</summary>
public sealed class ShopifyWebhookDeliveredConsumer(ConfigDbContext db) : IConsumer<ShopifyWebhookDelivered>
{
    public async Task Consume(ConsumeContext<ShopifyWebhookDelivered> context)
    {
        var delivered = context.Message;
        // orders/create (the webhook header) -> ORDERS_CREATE (the subscription's topic).
        var topic = delivered.Topic.Trim().Replace('/', '_').ToUpperInvariant();
        var domain = delivered.ShopDomain.Trim().ToLowerInvariant();

        // Idempotent and order-proof: only ever moves the time forward, and only for the shop still connected.
        await db.ShopifyWebhookSubscriptions
            .Where(w => w.WorkspaceId == delivered.WorkspaceId && w.Topic == topic
                && (w.LastDeliveryAt == null || w.LastDeliveryAt < delivered.DeliveredAt)
                && db.ShopifyIntegrations.Any(s => s.WorkspaceId == w.WorkspaceId && s.ShopDomain == domain))
            .ExecuteUpdateAsync(s => s
                .SetProperty(w => w.LastDeliveryAt, delivered.DeliveredAt)
                .SetProperty(w => w.LastDeliveryApiVersion, w => delivered.ApiVersion ?? w.LastDeliveryApiVersion), context.CancellationToken);
    }
}
