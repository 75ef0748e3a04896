using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

/// <summary>Which integrations the workspace has active; ShopTimezone: the shop's IANA time zone, once config-api has read it.</summary>
public record WorkspaceIntegrations(bool TwilioActive, bool ShopifyActive, bool AutoSyncOrders, string? ShopTimezone = null)
{
    public bool IsActive(string integration) =>
        integration == IntegrationKinds.Twilio ? TwilioActive : integration == IntegrationKinds.Shopify && ShopifyActive;
}
