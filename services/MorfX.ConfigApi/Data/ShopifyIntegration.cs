using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>A workspace's Shopify shop. Access token and client secrets are stored only as Data Protection ciphertext.</summary>
public class ShopifyIntegration
{
    public Guid WorkspaceId { get; set; }
    public required string ShopDomain { get; set; }
    public required string AccessTokenProtected { get; set; }
    public required string ClientSecretProtected { get; set; }
    public string? PreviousClientSecretProtected { get; set; }
    public required string DefaultCountry { get; set; }
    public bool AutoSyncOrders { get; set; } = true;
    public required string Status { get; set; }
    /// <summary>Why the integration is failing (a stable code and a Spanish detail), null while it works.</summary>
    public string? ErrorCode { get; set; }
    public string? ErrorDetail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<ShopifyWebhookSubscription> Webhooks { get; set; } = [];
}

public sealed class ShopifyIntegrationConfiguration : IEntityTypeConfiguration<ShopifyIntegration>
{
    public void Configure(EntityTypeBuilder<ShopifyIntegration> e)
    {
        e.HasKey(s => s.WorkspaceId);
        // One shop feeds one workspace: webhook-ingest finds the workspace by the shop domain.
        e.HasIndex(s => s.ShopDomain).IsUnique();
        e.HasMany(s => s.Webhooks).WithOne().HasForeignKey(w => w.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
