namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// A workspace's automations were written (created, changed, enabled, disabled, deleted): every engine instance drops its
/// cached copy (<see cref="WorkspaceCache"/>). Only the engine publishes and consumes it, on per-instance queues.
/// </summary>
public record AutomationsChanged(Guid WorkspaceId);
