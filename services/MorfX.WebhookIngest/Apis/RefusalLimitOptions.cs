using System.ComponentModel.DataAnnotations;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// How many refused webhooks (401/403: unknown shop or workspace, bad signature) one source may cause before its requests are
/// answered 429 without any work (configuration section <c>Webhooks:RefusalLimit</c>, decision 0038). Verified deliveries
/// never count, so Shopify's and Twilio's volume from their few addresses is not limited however high it is.
/// </summary>
public sealed class RefusalLimitOptions
{
    public const string Section = "Webhooks:RefusalLimit";

    /// <summary>Refusals per source in a window; past it the source is answered 429 until the window ends.</summary>
    [Range(1, 1_000_000)] public int PerSource { get; set; } = 300;

    /// <summary>The window, in seconds (also the Retry-After of the 429).</summary>
    [Range(1, 3600)] public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Behind a proxy (the cluster's Ingress) every request comes from the proxy: the source is then the last address of
    /// X-Forwarded-For, the one the proxy appended. Off when ingest is reached directly (a client could forge the header).
    /// </summary>
    public bool UseForwardedFor { get; set; }

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}
