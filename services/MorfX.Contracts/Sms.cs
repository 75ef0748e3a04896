namespace MorfX.Contracts;

/// <summary>Where an SMS came from: an automation run, or the "Probar conexion" test.</summary>
public record SmsOrigin(string Kind, Guid? AutomationId, Guid? RunId, Guid? TriggerEventId)
{
    public const string Automation = "automation";
    public const string Test = "test";
}

/// <summary>Ask sms-sender to send one SMS/MMS. RequestId is the idempotency key: one request, one message.</summary>
public record SmsRequested(Guid RequestId, Guid WorkspaceId, string To, string Body, IReadOnlyList<string> MediaUrls, SmsOrigin Origin, DateTimeOffset RequestedAt)
{
    /// <summary>1 for the first message; sms-sender's later deliveries after a transient carrier failure (30003, 30008) count up.</summary>
    public int DeliveryAttempt { get; init; } = 1;

    /// <summary>
    /// When it was meant to leave: RequestedAt, or when its send window opened or its wait ended. One more than a limit past it
    /// (an outage parked it for a day) is not sent: it ends skipped with <see cref="SmsSkipped.Expired"/>.
    /// </summary>
    public DateTimeOffset? DueAt { get; init; }
}

public record SmsSent(
    Guid RequestId, Guid WorkspaceId, string MessageSid, string To, string From, string Body,
    int Segments, string Encoding, int MediaCount, string Status, Guid? AutomationId, DateTimeOffset SentAt);

public record SmsFailed(
    Guid RequestId, Guid WorkspaceId, string? MessageSid, string To, string Body,
    int? ErrorCode, string ErrorMessage, Guid? AutomationId, DateTimeOffset FailedAt);

public record SmsStatusChanged(Guid RequestId, Guid WorkspaceId, string MessageSid, string Status, int? ErrorCode, DateTimeOffset ChangedAt);

/// <summary>
/// A message Twilio accepted that ended undelivered or failed: what the run history needs, published with its
/// SmsStatusChanged so the engine does not take every status of every message to find the few failures.
/// </summary>
public record SmsDeliveryFailed(Guid RequestId, Guid WorkspaceId, string MessageSid, string Status, int? ErrorCode, DateTimeOffset FailedAt);

/// <summary>The price Twilio reported, as a positive cost in PriceUnit.</summary>
public record SmsPriced(Guid RequestId, Guid WorkspaceId, string MessageSid, decimal Cost, string PriceUnit, DateTimeOffset PricedAt);

/// <summary>
/// sms-sender's SmsSent, SmsStatusChanged and SmsPriced for usage-api, many SMS to one broker message: what completed together
/// (concurrent sends, a batch of status callbacks, a price check's batch) is announced together, instead of one persistent,
/// confirmed message per event. Each list may be empty; the events are the same as when published one by one.
/// </summary>
public record SmsActivity(IReadOnlyList<SmsSent> Sent, IReadOnlyList<SmsStatusChanged> StatusChanges, IReadOnlyList<SmsPriced> Prices)
{
    public static SmsActivity Of(SmsSent sent) => new([sent], [], []);
    public static SmsActivity Of(SmsStatusChanged change) => new([], [change], []);

    /// <summary>Several into one, each list in the order given.</summary>
    public static SmsActivity Merge(IReadOnlyList<SmsActivity> parts) =>
        new([.. parts.SelectMany(p => p.Sent)], [.. parts.SelectMany(p => p.StatusChanges)], [.. parts.SelectMany(p => p.Prices)]);
}

/// <summary>
/// A Twilio status callback, verified by webhook-ingest. RequestId is sms-sender's marker echoed back in the
/// StatusCallback URL (<c>?r=</c>): the first callback of a message whose create answer was lost claims its sid by it.
/// </summary>
public record TwilioStatusReported(
    Guid WorkspaceId, string MessageSid, string MessageStatus, int? ErrorCode, string? AccountSid, DateTimeOffset ReportedAt, Guid? RequestId = null);

/// <summary>
/// Status callbacks that webhook-ingest took at about the same time, in one broker message: Twilio posts two or more per
/// SMS, and each went out as a persistent, confirmed message of its own.
/// </summary>
public record TwilioStatusReports(IReadOnlyList<TwilioStatusReported> Reports);

/// <summary>Request/response: config-api's "Probar conexion".</summary>
public record SendTestSms(Guid WorkspaceId, string To);

public record SendTestSmsResult(bool Succeeded, string? MessageSid, string? ErrorCode, string? ErrorMessage);
