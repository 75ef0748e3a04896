namespace MorfX.AutomationEngine.Apis;

/// <summary>One step of a run; ResumeAt: when a waiting step (a wait, an SMS held by its send window) goes on.</summary>
public record RunStepDto(int Index, string Action, string Status, string? Output, string? ErrorCode, string? Error, Guid? ResultId, DateTimeOffset? ResumeAt);
