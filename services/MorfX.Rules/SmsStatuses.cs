namespace MorfX.Rules;

/// <summary>
/// Twilio message statuses in the order a message moves through them; the one ranking sms-sender and usage-api share.
/// Callbacks arrive in any order, so a status only ever moves to a higher rank. sms-sender never leaves a final status
/// (the first final report wins, see <see cref="Below"/>); usage-api keeps the highest rank it has seen, so even
/// contradicting final reports would converge (failed last: a failed message stays uncharged).
/// "sending" is also sms-sender's own status between recording a request and Twilio's answer.
/// </summary>
public static class SmsStatuses
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    public const string Failed = "failed";

    static readonly string[] Order = ["accepted", "scheduled", Queued, Sending, Sent, Delivered, "read", "canceled", Undelivered, Failed];

    /// <summary>The rank of a row that has only seen events without a status (a price that came first).</summary>
    public const int NoStatus = -1;

    /// <summary>1..10 in <see cref="Order"/>; 0 for a status Twilio adds later (above "no status", below every known one).</summary>
    public static int Rank(string? status) => status is null ? NoStatus : Array.IndexOf(Order, status) + 1;

    public static bool IsKnown(string status) => Rank(status) > 0;

    public static bool IsFinal(string status) => Rank(status) >= Rank(Delivered);

    /// <summary>The statuses a message may be in for <paramref name="next"/> to replace it: ranked lower, and not final.</summary>
    public static string[] Below(string next) => [.. Order.Where(s => Rank(s) < Rank(next) && !IsFinal(s))];

    public static string? Normalize(string? status) => string.IsNullOrWhiteSpace(status) ? null : status.Trim().ToLowerInvariant();
}
