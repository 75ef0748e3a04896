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
    /// <summary>When this shop was connected (saved with this domain): nothing created before it starts an automation.</summary>
    public DateTimeOffset ConnectedAt { get; set; }
    /// <summary>Reconciliation's watermarks: the newest updatedAt read of the shop's orders and draft orders (from ConnectedAt).</summary>
    public DateTimeOffset? OrdersWatermark { get; set; }
    public DateTimeOffset? DraftOrdersWatermark { get; set; }
    /// <summary>When the next reconciliation pass is due; claiming a shop moves it forward (one replica per pass).</summary>
    public DateTimeOffset ReconcileDueAt { get; set; }
    public DateTimeOffset? LastReconciledAt { get; set; }
    /// <summary>Why the last pass did not finish (a stable code and a Spanish detail), null when it did.</summary>
    public string? ReconcileErrorCode { get; set; }
    public string? ReconcileErrorDetail { get; set; }
    /// <summary>Shopify's X-Shopify-API-Deprecated-Reason on the last pass, if it sent one.</summary>
    public string? ApiDeprecatedReason { get; set; }
    /// <summary>The shop's time zone (shop.ianaTimezone), read by reconciliation.</summary>
    public string? IanaTimezone { get; set; }
    public List<ShopifyWebhookSubscription> Webhooks { get; set; } = [];
}

public sealed class ShopifyIntegrationConfiguration : IEntityTypeConfiguration<ShopifyIntegration>
{
    public void Configure(EntityTypeBuilder<ShopifyIntegration> e)
    {
        e.HasKey(s => s.WorkspaceId);
        // One shop feeds one workspace: webhook-ingest finds the workspace by the shop domain.
        e.HasIndex(s => s.ShopDomain).IsUnique();
        // The reconciler claims the shops whose pass is due.
        e.HasIndex(s => s.ReconcileDueAt);
        e.HasMany(s => s.Webhooks).WithOne().HasForeignKey(w => w.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
