using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// sms-sender's own settings, all with defaults so the service boots with only the shared ones (section Sending):
/// Lease (00:00:30: how long one attempt owns a request's Twilio call; never shorter than Twilio:TotalTimeout + 5 s),
/// AmbiguousWindow (00:01:00: how long an ambiguous create is looked for at Twilio before it counts as never created),
/// AmbiguousLookBack (00:05:00: how much earlier than its request was recorded a message at Twilio may be dated and still be adopted),
/// ResolvePoll (00:00:02: between look-ups), MaxCreates (3: creates per delivery before the broker's retry takes over),
/// ConcurrentMessages (128: SmsRequested handled at once per instance, see
/// <see cref="Consumers.SmsRequestedConsumerDefinition"/>), ExpireAfter (1.00:00:00: an SMS later than this past its due
/// time is skipped as expired); and PublicUrls:WebhookIngest (http://127.0.0.1:5101;
/// Twilio's StatusCallback base).
/// </summary>
public sealed class SmsSenderSettings
{
    public const string Section = "Sending";
    public const string WebhookIngestBaseUrlKey = "PublicUrls:WebhookIngest";

    /// <summary>Webhook-ingest's public address, without a trailing slash.</summary>
    [Required] public string WebhookIngestBaseUrl { get; set; } = "http://127.0.0.1:5101";

    [ConfigurationKeyName("Lease"), Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Sending:Lease must be between {1} and {2}.")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan AmbiguousWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The look-up of an ambiguous create adopts messages Twilio dated from this long before the request was recorded (on the
    /// database's clock) until now: Twilio's date_created is Twilio's clock, in whole seconds, and the database's may differ
    /// from it. Five minutes is far more than NTP-kept clocks drift; a wider look-back only lets in more candidates, which are
    /// still matched by number, body and media and never adopted while another request holds their sid.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AmbiguousLookBack { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ResolvePoll { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10)] public int MaxCreates { get; set; } = 3;

    [Range(1, 1_000)] public int ConcurrentMessages { get; set; } = 128;

    /// <summary>How long past its due time an SMS may still leave (an outage parked it): later, it is skipped as expired.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Where Twilio posts the message's status changes: webhook-ingest, which verifies and republishes them. The query
    /// carries our marker (the request id), which Twilio echoes in every callback, so the first callback of a message
    /// whose create answer was lost claims its sid.
    /// </summary>
    public string StatusCallbackFor(Guid workspaceId, Guid requestId) =>
        $"{WebhookIngestBaseUrl}/webhooks/twilio/status/{workspaceId}?{RequestMarker}={requestId:N}";

    public const string RequestMarker = "r";
}
