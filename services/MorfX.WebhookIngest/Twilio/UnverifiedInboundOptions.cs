using System.ComponentModel.DataAnnotations;

namespace MorfX.WebhookIngest.Twilio;

/// <summary>
/// Inbound SMS kept while their workspace's auth token could not be read (configuration section <c>Webhooks:UnverifiedInbound</c>),
/// validated at start-up, with defaults so the service boots with no extra settings. The caps bound what anonymous senders can
/// make ingest keep: past them the answer is the 503 of before.
/// </summary>
public sealed class UnverifiedInboundOptions
{
    public const string Section = "Webhooks:UnverifiedInbound";

    /// <summary>How long a kept request is tried before it is dropped (logged as an error).</summary>
    [Range(1, 30 * 24)] public int MaxAgeHours { get; set; } = 72;

    /// <summary>Kept requests per AccountSid (the field Twilio posts; unverified, so also a cap per claimed sender).</summary>
    [Range(1, 100_000)] public int MaxPerAccount { get; set; } = 500;

    /// <summary>Kept requests in all.</summary>
    [Range(1, 1_000_000)] public int MaxTotal { get; set; } = 20_000;

    /// <summary>How often kept requests are verified.</summary>
    [Range(100, 600_000)] public int IntervalMs { get; set; } = 5_000;

    [Range(1, 10_000)] public int BatchSize { get; set; } = 100;

    public TimeSpan MaxAge => TimeSpan.FromHours(MaxAgeHours);
    public TimeSpan Interval => TimeSpan.FromMilliseconds(IntervalMs);
}
