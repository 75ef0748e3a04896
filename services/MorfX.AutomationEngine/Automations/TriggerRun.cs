using MorfX.Contracts;

namespace MorfX.AutomationEngine.Automations;

/// <summary>One trigger event as the runner sees it: its data, and for Shopify orders the previous copy.</summary>
public record TriggerRun(
    Guid EventId, Guid WorkspaceId, string Trigger, int Depth, Dictionary<string, object?> Data, IReadOnlyDictionary<string, string?>? Previous)
{
    /// <summary>The Shopify order and customer the event is about, kept on the run for customers/redact and shop/redact.</summary>
    public long? ShopifyOrderId { get; init; }
    public long? ShopifyCustomerId { get; init; }
    /// <summary>What the events this run fans out to carry of it, so the runs they start are found by the same redaction.</summary>
    public ShopifyOrigin? Shopify => ShopifyOrderId is null && ShopifyCustomerId is null ? null : new(ShopifyOrderId, ShopifyCustomerId);
    /// <summary>The event this one fans out from (itself for a root event): the per-root-event budget counts its runs.</summary>
    public Guid RootEventId { get; init; } = EventId;
    /// <summary>A run resumed after a wait or a closed send window: when it was due to go on (its SMS's DueAt).</summary>
    public DateTimeOffset? ResumedFrom { get; init; }
    /// <summary>The step whose send window opened (it is not held again).</summary>
    public int? ReleasedStep { get; init; }
}
