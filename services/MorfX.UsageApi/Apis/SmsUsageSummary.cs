namespace MorfX.UsageApi.Apis;

public sealed record SmsUsageSummary(
    string Period, DateTimeOffset From, DateTimeOffset To, int TotalSent, decimal TotalCost, string PriceUnit,
    int PendingCount, IReadOnlyList<SmsUsageMessageView> Messages);
