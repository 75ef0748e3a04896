namespace MorfX.Contracts;

public record ShopifyLineItem(long? Id, string? Sku, string? Title, string? VariantTitle, int Quantity, decimal? Price);
