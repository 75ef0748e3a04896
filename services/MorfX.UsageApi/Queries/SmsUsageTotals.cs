namespace MorfX.UsageApi.Queries;

public sealed record SmsUsageTotals(int TotalSent, decimal TotalCost, int PendingCount, string? PriceUnit);
