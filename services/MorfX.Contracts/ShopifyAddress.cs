namespace MorfX.Contracts;

public record ShopifyAddress(
    string? Name, string? Address1, string? Address2, string? City, string? Province, string? Zip, string? Country, string? Phone)
{
    /// <summary>ISO 3166 alpha-2, as Shopify's <c>country_code</c>: the country a local phone of this address is dialled in.</summary>
    public string? CountryCode { get; init; }
}
