using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>shopify.draft_order_created: only the trigger (no CRM order), a batch at a time. Idempotency: TriggerProcessor skips EventIds already handled, and repeats within the batch.</summary>
public sealed class ShopifyDraftOrderCreatedConsumer(TriggerProcessor processor) : IConsumer<Batch<ShopifyDraftOrderCreated>>
{
    public Task Consume(ConsumeContext<Batch<ShopifyDraftOrderCreated>> context) =>
        processor.HandleShopifyAsync([.. context.Message.Select(ShopifyTrigger.From)], TriggerNames.ShopifyDraftOrderCreated, context.CancellationToken);
}
