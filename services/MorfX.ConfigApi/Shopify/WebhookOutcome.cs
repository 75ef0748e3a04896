namespace MorfX.ConfigApi.Shopify;

/// <summary>What happened to one topic's subscription: Shopify's id, or a stable code and a Spanish detail saying what failed.</summary>
public sealed record WebhookOutcome(string Topic, string? SubscriptionId, string? ErrorCode, string? ErrorDetail)
{
    public bool Succeeded => SubscriptionId is not null;
}
