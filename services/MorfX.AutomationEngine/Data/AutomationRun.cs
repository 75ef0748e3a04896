using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>One run of an automation for one trigger event; unique per (event, automation).</summary>
public class AutomationRun
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid AutomationId { get; set; }
    public Guid TriggerEventId { get; set; }
    public required string Trigger { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public long? ShopifyOrderId { get; set; }
    public long? ShopifyCustomerId { get; set; }
    /// <summary>The root event of the fan-out this run belongs to (null on runs from before it was recorded).</summary>
    public Guid? RootEventId { get; set; }
    /// <summary>When a customers/redact or shop/redact erased the run's content (null while it holds it).</summary>
    public DateTimeOffset? RedactedAt { get; set; }
    public List<AutomationRunStep> Steps { get; set; } = [];
}

public sealed class AutomationRunConfiguration : IEntityTypeConfiguration<AutomationRun>
{
    public void Configure(EntityTypeBuilder<AutomationRun> e)
    {
        e.ToTable("automation_runs");
        e.HasIndex(r => new { r.TriggerEventId, r.AutomationId }).IsUnique();
        e.HasIndex(r => new { r.AutomationId, r.StartedAt });
        e.HasIndex(r => new { r.WorkspaceId, r.ShopifyOrderId });
        e.HasIndex(r => new { r.WorkspaceId, r.ShopifyCustomerId });
        e.HasIndex(r => r.StartedAt);
        e.HasIndex(r => r.RootEventId);
        e.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId);
    }
}
