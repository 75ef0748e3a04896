using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Automations;

/// <summary>One Shopify trigger event of a batch, with its order.</summary>
public record ShopifyTrigger(ITriggerEvent Event, ShopifyOrder Order)
{
    /// <summary>The delivery the event came in, whose trace what the event causes continues (see Outbox.TraceFrom).</summary>
    public MassTransit.ConsumeContext? Delivery { get; init; }

    /// <summary>Read from Shopify's Admin API by reconciliation, not delivered by a webhook.</summary>
    public bool Reconciled { get; init; }

    public static ShopifyTrigger From<T>(MassTransit.ConsumeContext<T> delivery) where T : class, IShopifyOrderEvent =>
        new(delivery.Message, delivery.Message.Order) { Delivery = delivery, Reconciled = delivery.Message.Reconciled };
}
