namespace MorfX.UsageApi.Queries;

public sealed record DailySmsUsage(DateOnly Day, int Count, decimal Cost);
