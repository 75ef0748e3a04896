using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>A workspace's saved messaging settings (MessagingSettingsStore); a workspace without a row has the defaults.</summary>
public class WorkspaceMessagingSettings
{
    public Guid WorkspaceId { get; set; }
    public required string MarketingWindowStart { get; set; }
    public required string MarketingWindowEnd { get; set; }
    public required string[] MarketingWindowDays { get; set; }
    /// <summary>Both null: no frequency cap.</summary>
    public int? FrequencyCapMaxMessages { get; set; }
    public int? FrequencyCapPeriodDays { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class WorkspaceMessagingSettingsConfiguration : IEntityTypeConfiguration<WorkspaceMessagingSettings>
{
    public void Configure(EntityTypeBuilder<WorkspaceMessagingSettings> e)
    {
        e.HasKey(s => s.WorkspaceId);
    }
}
