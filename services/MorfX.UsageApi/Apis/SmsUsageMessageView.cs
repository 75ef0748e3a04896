namespace MorfX.UsageApi.Apis;

/// <summary>A recent message. <c>To</c> and <c>Body</c> are whole for owners and admins; an agent gets the number masked and no body.</summary>
public sealed record SmsUsageMessageView(
    Guid RequestId, string? To, string? Body, string? Status, int Segments, decimal? Cost, bool Pending, DateTimeOffset SentAt);
