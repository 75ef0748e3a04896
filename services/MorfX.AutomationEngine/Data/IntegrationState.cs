using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>The engine's projection of IntegrationChanged: what each workspace has configured.</summary>
public class IntegrationState
{
    public Guid WorkspaceId { get; set; }
    public required string Integration { get; set; }
    public required string Status { get; set; }
    public string? ShopDomain { get; set; }
    public bool AutoSyncOrders { get; set; } = true;
    /// <summary>Shopify's: the shop's time zone (ianaTimezone), once config-api has read it.</summary>
    public string? IanaTimezone { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class IntegrationStateConfiguration : IEntityTypeConfiguration<IntegrationState>
{
    public void Configure(EntityTypeBuilder<IntegrationState> e)
    {
        e.HasKey(s => new { s.WorkspaceId, s.Integration });
    }
}
