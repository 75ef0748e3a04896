namespace MorfX.ConfigApi.Integrations;

// The form of the frontend's /configuracion/integraciones page, as sent: IntegrationValidation checks it.

/// <summary>
/// Secrets left out or sent back masked keep the stored ones; PreviousClientSecret "" clears it (the end of a rotation).
/// DefaultCountry (ISO 3166 alpha-2) normalises phone numbers in Shopify orders; "CO" unless set.
/// </summary>
public record ShopifySettingsRequest(
    string? ShopDomain, string? AccessToken, string? ClientSecret, string? PreviousClientSecret, string? DefaultCountry);
