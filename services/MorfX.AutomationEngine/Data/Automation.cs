using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>A saved automation. Conditions and actions are kept as JSON (lists of Condition and ActionStep).</summary>
public class Automation
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string Trigger { get; set; }
    public required string Conditions { get; set; }
    public required string Actions { get; set; }
    public bool Enabled { get; set; }
    /// <summary><see cref="Automations.Purposes"/>: a marketing automation needs consent and keeps to a send window.</summary>
    public string Purpose { get; set; } = Automations.Purposes.Transactional;
    /// <summary>Its own send window (SendWindow as JSON), or null.</summary>
    public string? SendWindow { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class AutomationConfiguration : IEntityTypeConfiguration<Automation>
{
    public void Configure(EntityTypeBuilder<Automation> e)
    {
        e.ToTable("automations");
        e.Property(a => a.Conditions).HasColumnType("jsonb");
        e.Property(a => a.Actions).HasColumnType("jsonb");
        e.Property(a => a.SendWindow).HasColumnType("jsonb");
        e.HasIndex(a => new { a.WorkspaceId, a.Trigger });
    }
}
