
namespace MorfX.AutomationEngine.Data;

/// <summary>A message the engine must publish, written with the transaction that caused it (see EngineOutbox).</summary>
public class OutboxMessage
{
    public Guid Id { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
