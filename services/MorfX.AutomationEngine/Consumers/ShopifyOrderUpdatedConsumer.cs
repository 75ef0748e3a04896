using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>shopify.order_updated: "changed to" conditions compare with the last copy. Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class ShopifyOrderUpdatedConsumer(TriggerProcessor processor) : IConsumer<ShopifyOrderUpdated>
{
    public Task Consume(ConsumeContext<ShopifyOrderUpdated> context) =>
        processor.HandleShopifyAsync(context, context.Message, TriggerNames.ShopifyOrderUpdated, context.Message.Order);
}
