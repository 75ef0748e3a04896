using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>shopify.order_created: auto-sync into the CRM, then the automations, a batch at a time. Idempotency: TriggerProcessor skips EventIds already handled, and repeats within the batch.</summary>
public sealed class ShopifyOrderCreatedConsumer(TriggerProcessor processor) : IConsumer<Batch<ShopifyOrderCreated>>
{
    public Task Consume(ConsumeContext<Batch<ShopifyOrderCreated>> context) =>
        processor.HandleShopifyAsync([.. context.Message.Select(ShopifyTrigger.From)], TriggerNames.ShopifyOrderCreated, context.CancellationToken);
}
