namespace MorfX.AutomationEngine.Apis;

/// <summary>A run in the list; ErrorCode and Error are the first failed step's, so the list already says why a run failed.</summary>
public record RunSummary(Guid Id, Guid AutomationId, Guid TriggerEventId, string Trigger, string Status, DateTimeOffset StartedAt, string? ErrorCode, string? Error);
