namespace MorfX.Contracts;

/// <summary>
/// An SmsRequested that made no Twilio call: the recipient opted out in the workspace, its automation was stopped before
/// Twilio took it, or it was too long past its due time. Not a failure: the engine records its step as skipped (with the
/// code), and usage counts nothing.
/// </summary>
public record SmsSkipped(Guid RequestId, Guid WorkspaceId, string To, string Code, Guid? AutomationId, DateTimeOffset SkippedAt)
{
    public const string RecipientOptedOut = "recipient_opted_out";
    public const string AutomationDisabled = "automation_disabled";
    public const string Expired = "expired";
    /// <summary>The recipient is a Shopify customer (or of a shop) erased by customers/redact or shop/redact.</summary>
    public const string CustomerRedacted = "customer_redacted";
}

/// <summary>An inbound SMS to one of the workspace's Twilio numbers, verified by webhook-ingest (X-Twilio-Signature).</summary>
public record TwilioInboundReceived(
    Guid WorkspaceId, string MessageSid, string From, string To, string Body, string? OptOutType, string? AccountSid, DateTimeOffset ReceivedAt);

/// <summary>Request/response: config-api lists the workspace's opted-out numbers (sms-sender owns them).</summary>
public record ListSmsOptOuts(Guid WorkspaceId);

/// <summary>One opted-out number as config-api may show it: masked, with an id to lift it by.</summary>
public record SmsOptOutItem(Guid Id, string MaskedPhone, string Source, DateTimeOffset OptedOutAt);

public record SmsOptOutList(IReadOnlyList<SmsOptOutItem> Items);

/// <summary>Request/response: an owner or admin lifts one opt-out (by the id from the list).</summary>
public record LiftSmsOptOut(Guid WorkspaceId, Guid OptOutId);

public record SmsOptOutLifted(bool Found);
