namespace MorfX.UsageApi.Apis;

public sealed record SmsUsageChartPoint(DateOnly Date, int Count, decimal Cost);
