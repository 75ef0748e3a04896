namespace MorfX.UsageApi.Data;

/// <summary>
/// Twilio message statuses in the order a message moves through them. Callbacks arrive in any order, so the
/// read model keeps the highest-ranked status it has seen: an older callback never moves a message back, and
/// a final status is never left. Final statuses rank by severity (failed last), so two contradicting final
/// reports converge to the same answer whichever comes first, and a failed message stays uncharged.
/// </summary>
public static class SmsStatuses
{
    public const string Failed = "failed";

    /// <summary>The rank of a row that has only seen events without a status (a price that came first).</summary>
    public const int NoStatus = -1;

    public static int Rank(string? status) => status switch
    {
        null => NoStatus,
        "accepted" => 1,
        "scheduled" => 2,
        "queued" => 3,
        "sending" => 4,
        "sent" => 5,
        "delivered" => 6,
        "read" => 7,
        "canceled" => 8,
        "undelivered" => 9,
        Failed => 10,
        // A status Twilio adds later: above "no status", below every known one.
        _ => 0,
    };

    public static string? Normalize(string? status) => string.IsNullOrWhiteSpace(status) ? null : status.Trim().ToLowerInvariant();
}
