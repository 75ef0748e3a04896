using System.Diagnostics.Metrics;

namespace MorfX.WebhookIngest;

/// <summary>Counters on the "MorfX" meter: webhooks received, accepted, rejected (by reason) and duplicates, per source;
/// inbound SMS kept unverified, by outcome.</summary>
public sealed class WebhookMetrics(Meter meter)
{
    readonly Counter<long> _received = meter.CreateCounter<long>("morfx.webhooks.received", description: "Webhook deliveries received");
    readonly Counter<long> _accepted = meter.CreateCounter<long>("morfx.webhooks.accepted", description: "Webhook deliveries accepted (committed with their event to the outbox)");
    readonly Counter<long> _rejected = meter.CreateCounter<long>("morfx.webhooks.rejected", description: "Webhook deliveries refused, by reason");
    readonly Counter<long> _unverified = meter.CreateCounter<long>("morfx.webhooks.unverified_inbound",
        description: "Inbound SMS whose auth token could not be read: kept, full, malformed, then verified, invalid_signature, unknown_workspace, invalid_body or expired");
    readonly Counter<long> _duplicates = meter.CreateCounter<long>("morfx.webhooks.duplicates", description: "Webhook deliveries already accepted before");

    public void Received(string source) => _received.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>Shopify's deliveries are also counted by their X-Shopify-API-Version, to see when a shop's webhooks still use an old one.</summary>
    public void Accepted(string source, string topic, string? apiVersion = null) =>
        _accepted.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("topic", topic),
            new KeyValuePair<string, object?>("api_version", apiVersion));

    public void Rejected(string source, string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("reason", reason));

    public void Unverified(string outcome) => _unverified.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Duplicate(string source) => _duplicates.Add(1, new KeyValuePair<string, object?>("source", source));
}
