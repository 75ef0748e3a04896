using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Data;

/// <summary>The engine's projection of WorkspaceMessagingChanged (the latest by ChangedAt); read as <see cref="WorkspaceMessaging"/>.</summary>
public class WorkspaceMessagingState
{
    public Guid WorkspaceId { get; set; }
    public required string MarketingWindowStart { get; set; }
    public required string MarketingWindowEnd { get; set; }
    public required string[] MarketingWindowDays { get; set; }
    /// <summary>Both null: no frequency cap.</summary>
    public int? FrequencyCapMaxMessages { get; set; }
    public int? FrequencyCapPeriodDays { get; set; }
    public DateTimeOffset ChangedAt { get; set; }

    public WorkspaceMessaging ToMessaging() => new(
        new SendWindow(MarketingWindowStart, MarketingWindowEnd, MarketingWindowDays),
        FrequencyCapMaxMessages is { } max && FrequencyCapPeriodDays is { } days ? new MarketingFrequencyCap(max, days) : null);
}

public sealed class WorkspaceMessagingStateConfiguration : IEntityTypeConfiguration<WorkspaceMessagingState>
{
    public void Configure(EntityTypeBuilder<WorkspaceMessagingState> e)
    {
        e.ToTable("workspace_messaging");
        e.HasKey(s => s.WorkspaceId);
    }
}
