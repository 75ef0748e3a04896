namespace MorfX.UsageApi.Queries;

public sealed record SmsUsageMessage(
    Guid RequestId, string? To, string? Body, string? Status, int Segments, decimal? Cost, DateTimeOffset SentAt);
