namespace MorfX.UsageApi.Queries;

public sealed record AutomationSmsUsage(Guid? AutomationId, int Count, decimal Cost);
