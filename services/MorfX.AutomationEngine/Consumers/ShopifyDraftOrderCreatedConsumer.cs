using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>shopify.draft_order_created: only the trigger (no CRM order). Idempotency: TriggerProcessor skips an EventId already handled.</summary>
public sealed class ShopifyDraftOrderCreatedConsumer(TriggerProcessor processor) : IConsumer<ShopifyDraftOrderCreated>
{
    public Task Consume(ConsumeContext<ShopifyDraftOrderCreated> context) =>
        processor.HandleShopifyAsync(context, context.Message, TriggerNames.ShopifyDraftOrderCreated, context.Message.Order);
}
