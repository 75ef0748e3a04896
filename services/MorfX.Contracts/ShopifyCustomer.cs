namespace MorfX.Contracts;

public record ShopifyCustomer(long? Id, string? Email, string? FirstName, string? LastName, string? Phone)
{
    public ShopifyAddress? DefaultAddress { get; init; }
}
