using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// Every problem webhook-ingest's webhooks answer besides the shared ones (<see cref="ProblemCode"/>): handlers answer with these
/// and endpoints declare them, so the OpenAPI document cannot drift from the code. Spanish details are in Texts.
/// </summary>
public static class IngestProblems
{
    // Shopify's HMAC is refused with 401, Twilio's signature with 403 (what each vendor's documentation expects).
    public static readonly ProblemCode ShopifySignatureInvalid = new(StatusCodes.Status401Unauthorized, "invalid_signature");
    public static readonly ProblemCode TwilioSignatureInvalid = new(StatusCodes.Status403Forbidden, "invalid_signature");
    public static readonly ProblemCode UnsupportedTopic = new(StatusCodes.Status400BadRequest, "unsupported_topic");
    public static readonly ProblemCode InvalidEncoding = new(StatusCodes.Status400BadRequest, "invalid_encoding");
    public static readonly ProblemCode InvalidPayload = new(StatusCodes.Status400BadRequest, "invalid_payload");
    public static readonly ProblemCode LookupUnavailable = new(StatusCodes.Status503ServiceUnavailable, "lookup_unavailable");
    public static readonly ProblemCode DatabaseUnavailable = new(StatusCodes.Status503ServiceUnavailable, "database_unavailable");
    public static readonly ProblemCode BrokerUnavailable = new(StatusCodes.Status503ServiceUnavailable, "broker_unavailable");
    /// <summary>The source caused too many refusals lately (<see cref="RefusalLimit"/>); answered with Retry-After.</summary>
    public static readonly ProblemCode TooManyRefusals = new(StatusCodes.Status429TooManyRequests, "too_many_refusals");

    /// <summary>What every Twilio webhook answers before its own checks (<see cref="TwilioWebhookRequests.VerifyAsync"/>).</summary>
    public static readonly ProblemCode[] TwilioRequest =
        [TwilioSignatureInvalid, ProblemCode.InvalidBody, ProblemCode.PayloadTooLarge, LookupUnavailable, TooManyRefusals];
}
