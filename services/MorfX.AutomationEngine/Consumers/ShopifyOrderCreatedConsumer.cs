using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>shopify.order_created: auto-sync into the CRM, then the automations. Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class ShopifyOrderCreatedConsumer(TriggerProcessor processor) : IConsumer<ShopifyOrderCreated>
{
    public Task Consume(ConsumeContext<ShopifyOrderCreated> context) =>
        processor.HandleShopifyAsync(context, context.Message, TriggerNames.ShopifyOrderCreated, context.Message.Order);
}
