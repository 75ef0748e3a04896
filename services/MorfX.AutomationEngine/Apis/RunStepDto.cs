namespace MorfX.AutomationEngine.Apis;

public record RunStepDto(int Index, string Action, string Status, string? Output, string? ErrorCode, string? Error, Guid? ResultId);
