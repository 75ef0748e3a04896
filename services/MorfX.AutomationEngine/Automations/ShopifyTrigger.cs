using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Automations;

/// <summary>One Shopify trigger event of a batch, with its order.</summary>
public record ShopifyTrigger(ITriggerEvent Event, ShopifyOrder Order)
{
    /// <summary>The delivery the event came in, whose trace what the event causes continues (see Outbox.TraceFrom).</summary>
    public MassTransit.ConsumeContext? Delivery { get; init; }
}
