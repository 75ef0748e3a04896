namespace MorfX.ConfigApi.Apis;

public record CustomerDataRequestSummary(
    Guid Id, string ShopDomain, long? ShopifyRequestId, long? CustomerId, string? CustomerEmail, string? CustomerPhone,
    IReadOnlyList<long> OrdersRequested, DateTimeOffset RequestedAt, IReadOnlyList<string> ReportedBy);
