
namespace MorfX.AutomationEngine.Data;

/// <summary>A trigger event already handled: the consumers' idempotency key.</summary>
public class ProcessedEvent
{
    public Guid EventId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Trigger { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
