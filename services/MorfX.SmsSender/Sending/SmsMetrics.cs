using System.Diagnostics.Metrics;

namespace MorfX.SmsSender.Sending;

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
