namespace MorfX.Contracts;

/// <summary>A weekly send window as the API writes it: "HH:MM" start and end in the recipient's local time, days "mon"…"sun".</summary>
public record SendWindow(string Start, string End, IReadOnlyList<string> Days)
{
    /// <summary>A marketing automation without a window of its own, in a workspace that did not change it: 08:00–21:00, Monday to Saturday.</summary>
    public static readonly SendWindow MarketingDefault = new("08:00", "21:00", ["mon", "tue", "wed", "thu", "fri", "sat"]);
}

/// <summary>At most MaxMessages marketing SMS to one recipient in PeriodDays days.</summary>
public record MarketingFrequencyCap(int MaxMessages, int PeriodDays);

/// <summary>config-api saved a workspace's messaging settings: the engine keeps the latest (by ChangedAt).</summary>
public record WorkspaceMessagingChanged(Guid WorkspaceId, SendWindow MarketingWindow, MarketingFrequencyCap? MarketingFrequencyCap, DateTimeOffset ChangedAt);

/// <summary>
/// A recipient said START/ALTA (Subscribed) or STOP/SALIR… (not) to the workspace's number: sms-sender announces it, the
/// engine keeps it as the recipient's SMS marketing consent (the latest of this and Shopify's, by ChangedAt).
/// </summary>
public record SmsConsentChanged(Guid WorkspaceId, string Phone, bool Subscribed, string Source, DateTimeOffset ChangedAt);

/// <summary>
/// An automation was disabled or deleted: sms-sender sends none of its SMS requested before StoppedAt that Twilio has not
/// taken yet (queued, in the bulk lane or parked); each ends skipped with <see cref="SmsSkipped.AutomationDisabled"/>.
/// </summary>
public record AutomationStopped(Guid WorkspaceId, Guid AutomationId, DateTimeOffset StoppedAt);
