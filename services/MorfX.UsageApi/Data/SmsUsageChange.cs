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
}
