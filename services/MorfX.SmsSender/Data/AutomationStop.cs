using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.SmsSender.Data;

/// <summary>The latest time an automation was disabled or deleted: its SMS requested before then are not sent.</summary>
public class AutomationStop
{
    public Guid AutomationId { get; set; }
    public Guid WorkspaceId { get; set; }
    public DateTimeOffset StoppedAt { get; set; }
}

public sealed class AutomationStopConfiguration : IEntityTypeConfiguration<AutomationStop>
{
    public void Configure(EntityTypeBuilder<AutomationStop> e)
    {
        e.ToTable("automation_stops");
        e.HasKey(s => s.AutomationId);
    }
}
