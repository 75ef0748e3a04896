namespace MorfX.AutomationEngine.Apis;

public record RunDetail(Guid Id, Guid AutomationId, Guid TriggerEventId, string Trigger, string Status, DateTimeOffset StartedAt, IReadOnlyList<RunStepDto> Steps);
