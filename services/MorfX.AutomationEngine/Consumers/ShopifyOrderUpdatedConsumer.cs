using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>shopify.order_updated: "changed to" conditions compare with the last copy, a batch at a time. Idempotency: TriggerProcessor skips EventIds already handled, and repeats within the batch.</summary>
public sealed class ShopifyOrderUpdatedConsumer(TriggerProcessor processor) : IConsumer<Batch<ShopifyOrderUpdated>>
{
    public Task Consume(ConsumeContext<Batch<ShopifyOrderUpdated>> context) =>
        processor.HandleShopifyAsync([.. context.Message.Select(ShopifyTrigger.From)], TriggerNames.ShopifyOrderUpdated, context.CancellationToken);
}
