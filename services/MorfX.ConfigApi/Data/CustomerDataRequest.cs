using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

public sealed class CustomerDataRequestConfiguration : IEntityTypeConfiguration<CustomerDataRequest>
{
    public void Configure(EntityTypeBuilder<CustomerDataRequest> e)
    {
        e.HasKey(r => r.RequestId);
        e.HasIndex(r => new { r.WorkspaceId, r.RequestedAt });
        e.HasIndex(r => r.RequestedAt);
    }
}
