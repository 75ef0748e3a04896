using System.ComponentModel.DataAnnotations;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// Limits of the webhook endpoints (configuration section <c>Webhooks</c>), validated at start-up, with defaults so the service
/// boots with no extra settings. <see cref="PublicBaseUrl"/> comes from PublicUrls:WebhookIngest: the base URL Twilio calls
/// (it signs that URL, not our Host header).
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    [Required, Url] public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5101";

    [Range(1024, 16 * 1024 * 1024)] public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long the broker has to confirm an event before it is left to the outbox (which publishes it once the broker is back).</summary>
    [Range(100, 4_900)] public int PublishTimeoutMs { get; set; } = 3_000;

    /// <summary>Shopify gives up after 5 s: everything after reading the body must fit well inside it.</summary>
    [Range(500, 4_900)] public int ResponseBudgetMs { get; set; } = 4_500;

    public TimeSpan PublishTimeout => TimeSpan.FromMilliseconds(PublishTimeoutMs);
    public TimeSpan ResponseBudget => TimeSpan.FromMilliseconds(ResponseBudgetMs);
}
