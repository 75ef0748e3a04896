using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>
/// A redacted Shopify customer (or shop), remembered by the keyed hashes of what names them (<see cref="Compliance.RedactionTombstones"/>):
/// an event about them that happened before the redaction, still queued, re-creates nothing. Kept until retention forgets it.
/// </summary>
public class RedactedCustomer
{
    public Guid WorkspaceId { get; set; }
    public required byte[] KeyHash { get; set; }
    public DateTimeOffset RedactedAt { get; set; }
}

public sealed class RedactedCustomerConfiguration : IEntityTypeConfiguration<RedactedCustomer>
{
    public void Configure(EntityTypeBuilder<RedactedCustomer> e)
    {
        e.ToTable("redacted_customers");
        e.HasKey(r => new { r.WorkspaceId, r.KeyHash });
        e.HasIndex(r => r.RedactedAt);
    }
}
