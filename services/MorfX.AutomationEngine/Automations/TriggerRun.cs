namespace MorfX.AutomationEngine.Automations;

/// <summary>One trigger event as the runner sees it: its data, and for Shopify orders the previous copy.</summary>
public record TriggerRun(
    Guid EventId, Guid WorkspaceId, string Trigger, int Depth, Dictionary<string, object?> Data, IReadOnlyDictionary<string, string?>? Previous)
{
    /// <summary>The Shopify order and customer the event is about, kept on the run for customers/redact and shop/redact.</summary>
    public long? ShopifyOrderId { get; init; }
    public long? ShopifyCustomerId { get; init; }
    /// <summary>The event this one fans out from (itself for a root event): the per-root-event budget counts its runs.</summary>
    public Guid RootEventId { get; init; } = EventId;
}
