using MassTransit;

namespace MorfX.Contracts;

/// <summary>An event that can start an automation. EventId is deterministic from the source's delivery id.</summary>
public interface ITriggerEvent
{
    Guid EventId { get; }
    Guid WorkspaceId { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>
/// An event an automation's action caused (a CRM record, a task): Depth counts the hops from the root event (the Shopify
/// order, the WhatsApp message…) and RootEventId names it, so the engine can bound how deep and how wide one event fans out.
/// RootEventId is null on events from before it existed, and from outside the engine: the event is then its own root.
/// </summary>
public interface IFanOutEvent : ITriggerEvent
{
    int Depth { get; }
    Guid? RootEventId { get; }
    /// <summary>The Shopify order (and customer) the root event was about, so a customers/redact or shop/redact finds the runs it caused.</summary>
    ShopifyOrigin? Shopify { get; }
}

/// <summary>The Shopify order and customer a fan-out event derives from; null on events from before it existed or not from Shopify.</summary>
public record ShopifyOrigin(long? OrderId, long? CustomerId);

/// <summary>
/// A Shopify order event, from a webhook or from reconciliation (Reconciled: read from the Admin API because no webhook
/// brought it). Both derive the same EventId for a creation, so whichever comes second is a no-op. Not an exchange of its own:
/// nothing subscribes to it.
/// </summary>
[ExcludeFromTopology]
public interface IShopifyOrderEvent : ITriggerEvent
{
    ShopifyOrder Order { get; }
    bool Reconciled { get; }
}

/// <summary>The trigger names: the catalog keys and the RabbitMQ entity names.</summary>
public static class TriggerNames
{
    public const string ShopifyOrderCreated = "shopify.order_created";
    public const string ShopifyDraftOrderCreated = "shopify.draft_order_created";
    public const string ShopifyOrderUpdated = "shopify.order_updated";
    public const string CrmContactCreated = "crm.contact_created";
    public const string CrmOrderCreated = "crm.order_created";
    public const string CrmTagAdded = "crm.tag_added";
    public const string TaskCreated = "task.created";
    public const string TaskCompleted = "task.completed";
    public const string WhatsAppMessageReceived = "whatsapp.message_received";
}

[EntityName(TriggerNames.ShopifyOrderCreated), MessageUrn(TriggerNames.ShopifyOrderCreated)]
public record ShopifyOrderCreated(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, ShopifyOrder Order) : IShopifyOrderEvent
{
    public bool Reconciled { get; init; }
}

[EntityName(TriggerNames.ShopifyDraftOrderCreated), MessageUrn(TriggerNames.ShopifyDraftOrderCreated)]
public record ShopifyDraftOrderCreated(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, ShopifyOrder Order) : IShopifyOrderEvent
{
    public bool Reconciled { get; init; }
}

[EntityName(TriggerNames.ShopifyOrderUpdated), MessageUrn(TriggerNames.ShopifyOrderUpdated)]
public record ShopifyOrderUpdated(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, ShopifyOrder Order) : IShopifyOrderEvent
{
    public bool Reconciled { get; init; }
}

[EntityName(TriggerNames.CrmContactCreated), MessageUrn(TriggerNames.CrmContactCreated)]
public record CrmContactCreated(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, CrmContact Contact, int Depth, Guid? RootEventId = null) : IFanOutEvent
{
    public ShopifyOrigin? Shopify { get; init; }
}

[EntityName(TriggerNames.CrmOrderCreated), MessageUrn(TriggerNames.CrmOrderCreated)]
public record CrmOrderCreated(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, CrmOrder Order, CrmContact? Contact, int Depth, Guid? RootEventId = null) : IFanOutEvent
{
    public ShopifyOrigin? Shopify { get; init; }
}

[EntityName(TriggerNames.CrmTagAdded), MessageUrn(TriggerNames.CrmTagAdded)]
public record CrmTagAdded(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, CrmContact Contact, string Tag, int Depth, Guid? RootEventId = null) : IFanOutEvent
{
    public ShopifyOrigin? Shopify { get; init; }
}

[EntityName(TriggerNames.TaskCreated), MessageUrn(TriggerNames.TaskCreated)]
public record TaskCreated(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, CrmTask Task, int Depth, Guid? RootEventId = null) : IFanOutEvent
{
    public ShopifyOrigin? Shopify { get; init; }
}

[EntityName(TriggerNames.TaskCompleted), MessageUrn(TriggerNames.TaskCompleted)]
public record TaskCompleted(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, CrmTask Task, int Depth, Guid? RootEventId = null) : IFanOutEvent
{
    public ShopifyOrigin? Shopify { get; init; }
}

/// <summary>Consumed from the existing WhatsApp service.</summary>
[EntityName(TriggerNames.WhatsAppMessageReceived), MessageUrn(TriggerNames.WhatsAppMessageReceived)]
public record WhatsAppMessageReceived(Guid EventId, Guid WorkspaceId, DateTimeOffset OccurredAt, string From, string? ContactName, string Body) : ITriggerEvent;
