using System.Diagnostics.Metrics;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// sms-sender's own settings, all with defaults so the service boots with only the shared ones:
/// PublicUrls:WebhookIngest (http://127.0.0.1:5101; Twilio's StatusCallback base), Sending:Lease (00:00:30: how long one
/// attempt owns a request's Twilio call; never shorter than Twilio:TotalTimeout + 5 s), Sending:AmbiguousWindow (00:01:00:
/// how long an ambiguous create is looked for at Twilio before it counts as never created), Sending:ResolvePoll (00:00:02:
/// between look-ups), Sending:MaxCreates (3: creates per delivery before the broker's retry takes over), Sending:ConcurrentMessages (64: SmsRequested
/// handled at once per instance, see <see cref="Consumers.SmsRequestedConsumerDefinition"/>), Pricing:* (see
/// <see cref="PricingSettings"/>).
/// </summary>
public sealed record SmsSenderSettings(string WebhookIngestBaseUrl, TimeSpan SendLease, TimeSpan AmbiguousWindow, TimeSpan ResolvePoll, int MaxCreates,
    int ConcurrentMessages)
{
    public static SmsSenderSettings From(IConfiguration config)
    {
        var lease = config.GetValue("Sending:Lease", TimeSpan.FromSeconds(30));
        // The lease must outlast one whole Twilio call, or a second attempt could take the request over mid-call.
        var floor = config.GetValue("Twilio:TotalTimeout", TimeSpan.FromSeconds(12)) + TimeSpan.FromSeconds(5);
        return new(
            (config["PublicUrls:WebhookIngest"] is { Length: > 0 } url ? url : "http://127.0.0.1:5101").TrimEnd('/'),
            lease > floor ? lease : floor,
            config.GetValue("Sending:AmbiguousWindow", TimeSpan.FromMinutes(1)),
            config.GetValue("Sending:ResolvePoll", TimeSpan.FromSeconds(2)),
            config.GetValue("Sending:MaxCreates", 3),
            Math.Max(1, config.GetValue("Sending:ConcurrentMessages", 64)));
    }

    /// <summary>
    /// Where Twilio posts the message's status changes: webhook-ingest, which verifies and republishes them. The query
    /// carries our marker (the request id), which Twilio echoes in every callback, so the first callback of a message
    /// whose create answer was lost claims its sid.
    /// </summary>
    public string StatusCallbackFor(Guid workspaceId, Guid requestId) =>
        $"{WebhookIngestBaseUrl}/webhooks/twilio/status/{workspaceId}?{RequestMarker}={requestId:N}";

    public const string RequestMarker = "r";
}
