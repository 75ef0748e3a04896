using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

public record WorkspaceIntegrations(bool TwilioActive, bool ShopifyActive, bool AutoSyncOrders, string? ShopTimezone = null)
{
    public bool IsActive(string integration) =>
        integration == IntegrationKinds.Twilio ? TwilioActive : integration == IntegrationKinds.Shopify && ShopifyActive;
}
