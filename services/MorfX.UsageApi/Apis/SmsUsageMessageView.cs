namespace MorfX.UsageApi.Apis;

public sealed record SmsUsageMessageView(
    Guid RequestId, string? To, string? Body, string? Status, int Segments, decimal? Cost, bool Pending, DateTimeOffset SentAt);
