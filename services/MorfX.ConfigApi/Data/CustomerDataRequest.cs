namespace MorfX.ConfigApi.Data;

/// <summary>A Shopify customers/data_request: the merchant must be able to give the customer what MorfX holds.</summary>
public class CustomerDataRequest
{
    public Guid RequestId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string ShopDomain { get; set; }
    public long? ShopifyRequestId { get; set; }
    public long? CustomerId { get; set; }
    public string? CustomerEmail { get; set; }
    public string? CustomerPhone { get; set; }
    public List<long> OrdersRequested { get; set; } = [];
    public DateTimeOffset RequestedAt { get; set; }
}

/// <summary>What one service reported holding for a data request (JSON).</summary>
public class CustomerDataReport
{
    public Guid RequestId { get; set; }
    public required string Service { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Data { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
}
