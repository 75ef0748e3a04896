using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.UsageApi.Data;

/// <summary>What one event knows about a message; null means "this event does not say".</summary>
public sealed record SmsUsageChange(Guid RequestId, Guid WorkspaceId, DateTimeOffset OccurredAt)
{
    public Guid? AutomationId { get; init; }
    public string? MessageSid { get; init; }
    public string? To { get; init; }
    public string? Body { get; init; }
    public string? Status { get; init; }
    public int Segments { get; init; }
    public decimal? Cost { get; init; }
    public string? PriceUnit { get; init; }

    public static SmsUsageChange From(SmsSent m) => new(m.RequestId, m.WorkspaceId, m.SentAt)
    {
        AutomationId = m.AutomationId,
        MessageSid = m.MessageSid,
        To = m.To,
        Body = m.Body,
        Status = m.Status,
        Segments = m.Segments,
    };

    public static SmsUsageChange From(SmsFailed m) => new(m.RequestId, m.WorkspaceId, m.FailedAt)
    {
        AutomationId = m.AutomationId,
        MessageSid = m.MessageSid,
        To = m.To,
        Body = m.Body,
        Status = SmsStatuses.Failed,
    };

    public static SmsUsageChange From(SmsStatusChanged m) => new(m.RequestId, m.WorkspaceId, m.ChangedAt)
    {
        MessageSid = m.MessageSid,
        Status = m.Status,
    };

    public static SmsUsageChange From(SmsPriced m) => new(m.RequestId, m.WorkspaceId, m.PricedAt)
    {
        MessageSid = m.MessageSid,
        Cost = m.Cost,
        PriceUnit = m.PriceUnit,
    };

    /// <summary>An envelope's events, each request's in the order sent, status, price.</summary>
    public static IEnumerable<SmsUsageChange> From(SmsActivity m) =>
        m.Sent.Select(From).Concat(m.StatusChanges.Select(From)).Concat(m.Prices.Select(From));
}
