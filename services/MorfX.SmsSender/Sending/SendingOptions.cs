using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace MorfX.SmsSender.Sending;

/// <summary>How sms-sender sends: each attempt's lease, the look-up of an ambiguous create, concurrency and expiry.</summary>
public sealed class SendingOptions
{
    public const string Section = "Sending";
    public const string WebhookIngestBaseUrlKey = "PublicUrls:WebhookIngest";

    /// <summary>Webhook-ingest's public address, without a trailing slash: the base of Twilio's StatusCallback.</summary>
    [Required] public string WebhookIngestBaseUrl { get; set; } = "http://127.0.0.1:5101";

    /// <summary>How long one attempt owns a request's Twilio call; never shorter than Twilio:TotalTimeout + 5 s.</summary>
    [ConfigurationKeyName("Lease"), Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Sending:Lease must be between {1} and {2}.")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an ambiguous create is looked for at Twilio before it counts as never created.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan AmbiguousWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The look-up of an ambiguous create adopts messages Twilio dated from this long before the request was recorded (on the
    /// database's clock) until now: Twilio's date_created is Twilio's clock, in whole seconds, and the database's may differ
    /// from it. Minutes are far more than NTP-kept clocks drift; a wider look-back only lets in more candidates, which are
    /// still matched by number, body and media and never adopted while another request holds their sid.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AmbiguousLookBack { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait between two look-ups of an ambiguous create.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ResolvePoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Creates per delivery before the broker's retry takes over.</summary>
    [Range(1, 10)] public int MaxCreates { get; set; } = 3;

    /// <summary>SmsRequested handled at once per instance (<see cref="Consumers.SmsRequestedConsumerDefinition"/>).</summary>
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
