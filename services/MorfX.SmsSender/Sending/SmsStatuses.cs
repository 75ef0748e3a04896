namespace MorfX.SmsSender.Sending;

/// <summary>
/// Message statuses and their order. Twilio's callbacks arrive out of order, so a status only ever moves forward:
/// queued &lt; sending &lt; sent &lt; delivered / undelivered / failed, and a final status never changes again.
/// "sending" is also the row's status between being recorded and Twilio's answer (then Twilio's own status replaces it).
/// </summary>
public static class SmsStatuses
{
    public const string Sending = "sending";
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    public const string Failed = "failed";

    static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["accepted"] = 1, ["scheduled"] = 1, [Queued] = 1,
        [Sending] = 2,
        [Sent] = 3,
        [Delivered] = 4, [Undelivered] = 4, [Failed] = 4, ["canceled"] = 4, ["read"] = 4,
    };

    public static bool IsKnown(string status) => Rank.ContainsKey(status);

    public static bool IsFinal(string status) => Rank.GetValueOrDefault(status) == 4;

    /// <summary>The statuses a message may be in for <paramref name="next"/> to replace it (all ranked strictly lower).</summary>
    public static string[] Below(string next)
    {
        var rank = Rank.GetValueOrDefault(next);
        return [.. Rank.Where(r => r.Value < rank).Select(r => r.Key)];
    }
}
