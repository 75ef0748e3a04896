using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>A workspace's Twilio account. The auth token is stored only as Data Protection ciphertext.</summary>
public class TwilioIntegration
{
    public Guid WorkspaceId { get; set; }
    public required string AccountSid { get; set; }
    public required string AuthTokenProtected { get; set; }
    public required string PhoneNumber { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class TwilioIntegrationConfiguration : IEntityTypeConfiguration<TwilioIntegration>
{
    public void Configure(EntityTypeBuilder<TwilioIntegration> e)
    {
        e.HasKey(t => t.WorkspaceId);
    }
}
