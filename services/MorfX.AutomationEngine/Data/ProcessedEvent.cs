using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.AutomationEngine.Data;

/// <summary>A trigger event already handled: the consumers' idempotency key.</summary>
public class ProcessedEvent
{
    public Guid EventId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Trigger { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

public sealed class ProcessedEventConfiguration : IEntityTypeConfiguration<ProcessedEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedEvent> e)
    {
        e.ToTable("processed_events");
        e.HasKey(p => p.EventId);
        e.HasIndex(p => p.ProcessedAt);
    }
}
