namespace MorfX.Contracts;

public record ShopifyCustomer(long? Id, string? Email, string? FirstName, string? LastName, string? Phone)
{
    public ShopifyAddress? DefaultAddress { get; init; }
    /// <summary>sms_marketing_consent.state (subscribed, not_subscribed, pending, unsubscribed, redacted) for the customer's phone.</summary>
    public string? SmsMarketingState { get; init; }
    /// <summary>sms_marketing_consent.consent_updated_at, UTC.</summary>
    public DateTimeOffset? SmsMarketingUpdatedAt { get; init; }
}
