namespace MorfX.ConfigApi.Apis;

// What the frontend's /configuracion/integraciones page sends and receives. Secrets only ever leave masked.

public record TwilioIntegrationResponse(
    bool Configured, string? AccountSid, string? AuthToken, string? PhoneNumber, string? Status, DateTimeOffset? UpdatedAt);

public record TestSmsRequest(string? PhoneNumber);

public record TestSmsResponse(string MessageSid);

public record ShopifyAutoSyncRequest(bool? AutoSyncOrders);

public record ShopifyIntegrationResponse(
    bool Configured,
    string? ShopDomain,
    string? AccessToken,
    string? ClientSecret,
    string? PreviousClientSecret,
    string? DefaultCountry,
    bool? AutoSyncOrders,
    string? Status,
    IntegrationError? Error,
    IReadOnlyList<ShopifyWebhookResponse> Webhooks,
    DateTimeOffset? UpdatedAt);

/// <summary>Why an integration is not working, and what to do: a stable code and a Spanish detail.</summary>
public record IntegrationError(string Code, string Detail);

/// <summary>One webhook subscription: `active` with Shopify's id, or `failed` with the reason; the last delivery webhook-ingest accepted.</summary>
public record ShopifyWebhookResponse(string Topic, string Status, string? SubscriptionId, string? Error, DateTimeOffset? LastDeliveryAt);

public record IntegrationsSummary(IntegrationSummary Twilio, IntegrationSummary Shopify);

/// <summary>Missing names what the user still has to provide or fix (field names, or `webhooks`/`credentials`).</summary>
public record IntegrationSummary(bool Configured, string? Status, IReadOnlyList<string> Missing, string Detail);
