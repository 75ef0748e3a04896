namespace MorfX.UsageApi.Apis;

public sealed record SmsUsageByAutomation(Guid? AutomationId, int Count, decimal Cost);
