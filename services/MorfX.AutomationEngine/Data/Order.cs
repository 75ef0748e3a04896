using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

public class Order
{
    public const string ShopifySource = "shopify";
    public const string AutomationSource = "automation";

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? ContactId { get; set; }
    public required string Source { get; set; }
    public string? ExternalId { get; set; }
    public string? Number { get; set; }
    public decimal? Total { get; set; }
    public string? Currency { get; set; }
    public string? PaymentStatus { get; set; }
    public long? ShopifyCustomerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public CrmOrder ToMessage() => new(Id, ContactId, Source, ExternalId, Number, Total, Currency, PaymentStatus);
}

public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> e)
    {
        e.ToTable("orders");
        e.Property(o => o.Total).HasPrecision(14, 2);
        e.HasIndex(o => new { o.WorkspaceId, o.Source, o.ExternalId }).IsUnique();
    }
}
