using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>
/// A run held until <see cref="ResumeAt"/>: by a <c>wait</c> action (it goes on at the step after it) or by a send_sms outside
/// its send window (it goes on at that step). Data is the trigger's template data, as the run started with it.
/// </summary>
public class RunWait
{
    public const string Wait = "wait";
    public const string Window = "send_window";

    public Guid RunId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid AutomationId { get; set; }
    public int NextStep { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset ResumeAt { get; set; }
    public int Depth { get; set; }
    public required string Data { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class RunWaitConfiguration : IEntityTypeConfiguration<RunWait>
{
    public void Configure(EntityTypeBuilder<RunWait> e)
    {
        e.ToTable("run_waits");
        e.HasKey(w => w.RunId);
        e.Property(w => w.Data).HasColumnType("jsonb");
        e.HasIndex(w => w.ResumeAt);
        e.HasIndex(w => w.AutomationId);
        e.HasIndex(w => w.WorkspaceId);
        e.HasOne<AutomationRun>().WithOne().HasForeignKey<RunWait>(w => w.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
