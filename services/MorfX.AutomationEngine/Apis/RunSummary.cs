namespace MorfX.AutomationEngine.Apis;

/// <summary>
/// A run in the list; ErrorCode and Error are the first failed step's (a skipped run's: its skipped step's), so the list
/// already says why a run failed or stopped; ResumeAt: when a waiting run goes on.
/// </summary>
public record RunSummary(
    Guid Id, Guid AutomationId, Guid TriggerEventId, string Trigger, string Status, DateTimeOffset StartedAt, string? ErrorCode, string? Error,
    DateTimeOffset? ResumeAt);
