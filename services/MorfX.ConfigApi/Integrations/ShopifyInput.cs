namespace MorfX.ConfigApi.Integrations;

/// <summary>The validated, normalised Shopify form; a null secret means "keep the stored one".</summary>
public record ShopifyInput(
    string ShopDomain, string? AccessToken, string? ClientSecret, string? PreviousClientSecret, bool ClearPreviousSecret, string? DefaultCountry);
