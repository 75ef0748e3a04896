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

/// <summary>
/// GET /api/integrations/shopify/health: whether the shop's orders reach MorfX, by webhook or by reconciliation. Problem is
/// the most pressing current problem (a stable code and a Spanish detail), null when there is none.
/// </summary>
public record ShopifyHealthResponse(
    string ShopDomain,
    string Status,
    string ApiVersion,
    DateTimeOffset ConnectedAt,
    IReadOnlyList<ShopifySubscriptionHealth> Subscriptions,
    ShopifyLastWebhook? LastWebhook,
    ShopifyReconciliationHealth Reconciliation,
    ShopifyRecoveredCounts Recovered,
    string? ApiDeprecatedReason,
    IntegrationError? Problem);

/// <summary>State: `active`, `restored` (Shopify had removed it; created again at RestoredAt) or `missing`.</summary>
public record ShopifySubscriptionHealth(
    string Topic, string State, DateTimeOffset? SubscribedAt, DateTimeOffset? RestoredAt, DateTimeOffset? LastDeliveryAt, string? LastDeliveryApiVersion, string? Error);

public record ShopifyLastWebhook(string Topic, DateTimeOffset ReceivedAt, string? ApiVersion);

/// <summary>The last finished pass, the watermarks (the newest updatedAt read; the connection time until a pass reads one), and when the next pass is due.</summary>
public record ShopifyReconciliationHealth(
    DateTimeOffset? LastRunAt, DateTimeOffset OrdersWatermark, DateTimeOffset DraftOrdersWatermark, DateTimeOffset NextRunAt, int IntervalSeconds);

/// <summary>Orders whose events reconciliation brought because no webhook did (each order and trigger once).</summary>
public record ShopifyRecoveredCounts(int Last24Hours, int Last7Days);
