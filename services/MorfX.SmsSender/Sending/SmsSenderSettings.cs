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

/// <summary>
/// The price reconciler's schedule: Pricing:PollInterval (00:00:02), Pricing:FirstCheckDelay (00:00:30: the first price check
/// after a final status, to start with; then learnt from what the first checks find, between 1 s and
/// Pricing:MaxFirstCheckDelay, 00:10:00), Pricing:InitialBackoff (00:00:30, doubling), Pricing:MaxBackoff (01:00:00),
/// Pricing:MaxChecks (12; then the price stays unknown), Pricing:BatchSize (200 messages claimed at once),
/// Pricing:StatusCheckAfter (00:02:00: when no final status callback has arrived by then, Twilio is asked).
/// </summary>
public sealed record PricingSettings(
    TimeSpan PollInterval, TimeSpan InitialBackoff, TimeSpan MaxBackoff, int MaxChecks, int BatchSize, TimeSpan StatusCheckAfter,
    TimeSpan FirstCheckDelay, TimeSpan MaxFirstCheckDelay)
{
    public static PricingSettings From(IConfiguration config) => new(
        config.GetValue("Pricing:PollInterval", TimeSpan.FromSeconds(2)),
        config.GetValue("Pricing:InitialBackoff", TimeSpan.FromSeconds(30)),
        config.GetValue("Pricing:MaxBackoff", TimeSpan.FromHours(1)),
        config.GetValue("Pricing:MaxChecks", 12),
        config.GetValue("Pricing:BatchSize", 200),
        config.GetValue("Pricing:StatusCheckAfter", TimeSpan.FromMinutes(2)),
        config.GetValue("Pricing:FirstCheckDelay", TimeSpan.FromSeconds(30)),
        config.GetValue("Pricing:MaxFirstCheckDelay", TimeSpan.FromMinutes(10)));

    /// <summary>The wait after the n-th unsuccessful check (n ≥ 1): initial × 2^(n-1), capped.</summary>
    public TimeSpan BackoffAfter(int checks)
    {
        var factor = Math.Pow(2, Math.Min(checks - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}

/// <summary>sms-sender's counters on the shared "MorfX" meter.</summary>
public sealed class SmsMetrics(Meter meter)
{
    public Counter<long> Sent { get; } = meter.CreateCounter<long>("morfx.sms.sent", description: "Messages Twilio accepted");
    public Counter<long> Failed { get; } = meter.CreateCounter<long>("morfx.sms.failed", description: "Requests that ended without a message");
    public Counter<long> Deferred { get; } = meter.CreateCounter<long>("morfx.sms.deferred", description: "Requests parked to wait out an outage of config-api or Twilio");
    public Counter<long> Ambiguous { get; } = meter.CreateCounter<long>("morfx.sms.ambiguous", description: "Creates whose outcome was unknown (timeout, reset, 5xx) and had to be resolved at Twilio");
    public Counter<long> Priced { get; } = meter.CreateCounter<long>("morfx.sms.priced", description: "Messages whose Twilio price arrived");
    public Counter<long> StatusChanged { get; } = meter.CreateCounter<long>("morfx.sms.status", description: "Status changes applied, by status");
    public Histogram<double> PricingDelaySeconds { get; } = meter.CreateHistogram<double>("morfx.sms.pricing_delay", "s", "The learnt wait before a message's first price check");
    public Histogram<double> PricedAfterSeconds { get; } = meter.CreateHistogram<double>("morfx.sms.priced_after", "s", "From final status to price known");
    public Counter<double> Cost { get; } = meter.CreateCounter<double>("morfx.sms.cost", description: "What Twilio charged, by price unit");

    public void RecordStatus(string status) => StatusChanged.Add(1, new KeyValuePair<string, object?>("status", status));

    public void RecordCost(decimal cost, string unit) => Cost.Add((double)cost, new KeyValuePair<string, object?>("price_unit", unit));
}
