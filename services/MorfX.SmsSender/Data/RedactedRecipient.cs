using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.SmsSender.Data;

/// <summary>
/// A phone of a redacted Shopify customer, as its keyed hash (<see cref="MorfX.Data.Redaction.RedactionHasher"/>): requests to
/// it are skipped with <see cref="Contracts.SmsSkipped.CustomerRedacted"/> until retention forgets it.
/// </summary>
public class RedactedRecipient
{
    public Guid WorkspaceId { get; set; }
    public required byte[] PhoneHash { get; set; }
    public DateTimeOffset RedactedAt { get; set; }
}

public sealed class RedactedRecipientConfiguration : IEntityTypeConfiguration<RedactedRecipient>
{
    public void Configure(EntityTypeBuilder<RedactedRecipient> e)
    {
        e.ToTable("redacted_recipients");
        e.HasKey(r => new { r.WorkspaceId, r.PhoneHash });
        e.HasIndex(r => r.RedactedAt);
    }
}
