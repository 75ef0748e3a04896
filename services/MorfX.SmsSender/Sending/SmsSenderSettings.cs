using System.Diagnostics.Metrics;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// sms-sender's own settings, all with defaults so the service boots with only the shared ones:
/// PublicUrls:WebhookIngest (http://127.0.0.1:5101; Twilio's StatusCallback base), Sending:Lease (00:00:30: how long one
/// attempt owns a request's Twilio call; longer than Twilio:TotalTimeout), Pricing:* (see <see cref="PricingSettings"/>).
/// </summary>
public sealed record SmsSenderSettings(string WebhookIngestBaseUrl, TimeSpan SendLease)
{
    public static SmsSenderSettings From(IConfiguration config) => new(
        (config["PublicUrls:WebhookIngest"] is { Length: > 0 } url ? url : "http://127.0.0.1:5101").TrimEnd('/'),
        config.GetValue("Sending:Lease", TimeSpan.FromSeconds(30)));

    /// <summary>Where Twilio posts the message's status changes: webhook-ingest, which verifies and republishes them.</summary>
    public string StatusCallbackFor(Guid workspaceId) => $"{WebhookIngestBaseUrl}/webhooks/twilio/status/{workspaceId}";
}

/// <summary>
/// The price reconciler's schedule: Pricing:PollInterval (00:00:02), Pricing:InitialBackoff (00:00:30, doubling),
/// Pricing:MaxBackoff (01:00:00), Pricing:MaxChecks (12; then the price stays unknown), Pricing:BatchSize (20),
/// Pricing:StatusCheckAfter (00:02:00: when no final status callback has arrived by then, Twilio is asked).
/// </summary>
public sealed record PricingSettings(TimeSpan PollInterval, TimeSpan InitialBackoff, TimeSpan MaxBackoff, int MaxChecks, int BatchSize, TimeSpan StatusCheckAfter)
{
    public static PricingSettings From(IConfiguration config) => new(
        config.GetValue("Pricing:PollInterval", TimeSpan.FromSeconds(2)),
        config.GetValue("Pricing:InitialBackoff", TimeSpan.FromSeconds(30)),
        config.GetValue("Pricing:MaxBackoff", TimeSpan.FromHours(1)),
        config.GetValue("Pricing:MaxChecks", 12),
        config.GetValue("Pricing:BatchSize", 20),
        config.GetValue("Pricing:StatusCheckAfter", TimeSpan.FromMinutes(2)));

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
    public Counter<long> Priced { get; } = meter.CreateCounter<long>("morfx.sms.priced", description: "Messages whose Twilio price arrived");
    public Counter<long> StatusChanged { get; } = meter.CreateCounter<long>("morfx.sms.status", description: "Status changes applied, by status");
    public Counter<double> Cost { get; } = meter.CreateCounter<double>("morfx.sms.cost", description: "What Twilio charged, by price unit");

    public void RecordStatus(string status) => StatusChanged.Add(1, new KeyValuePair<string, object?>("status", status));

    public void RecordCost(decimal cost, string unit) => Cost.Add((double)cost, new KeyValuePair<string, object?>("price_unit", unit));
}
