using MassTransit;
using MorfX.ServiceDefaults.Fairness;
using MorfX.ServiceDefaults.Integrations;
using MorfX.WebhookIngest.Data;
using MorfX.WebhookIngest.Shopify;

namespace MorfX.WebhookIngest.Apis;

/// <summary>What the webhook handlers need, bundled for [AsParameters].</summary>
public sealed class WebhookServices(
    IntegrationLookup lookup,
    IPublishEndpoint publisher,
    IngestDbContext db,
    WebhookMetrics metrics,
    WebhookOptions options,
    TimeProvider clock,
    DeliveryAnnouncements announcements,
    FairPublisher fair,
    ILogger<WebhookServices> logger)
{
    /// <summary>Trigger events go through it: a workspace over its share of the shared queue is sent to the bulk lane.</summary>
    public FairPublisher Fair { get; } = fair;
    public DeliveryAnnouncements Announcements { get; } = announcements;
    public IntegrationLookup Lookup { get; } = lookup;
    public IPublishEndpoint Publisher { get; } = publisher;
    public IngestDbContext Db { get; } = db;
    public WebhookMetrics Metrics { get; } = metrics;
    public WebhookOptions Options { get; } = options;
    public TimeProvider Clock { get; } = clock;
    public ILogger<WebhookServices> Logger { get; } = logger;
}

/// <summary>
/// Limits and addresses, from configuration with defaults so the service boots with no extra settings.
/// PublicUrls:WebhookIngest is the base URL Twilio calls (it signs that URL, not our Host header).
/// </summary>
public sealed record WebhookOptions(string PublicBaseUrl, int MaxBodyBytes, TimeSpan PublishTimeout, TimeSpan ResponseBudget)
{
    public static WebhookOptions From(IConfiguration configuration) => new(
        (configuration["PublicUrls:WebhookIngest"] is { Length: > 0 } url ? url : "http://127.0.0.1:5101").TrimEnd('/'),
        configuration.GetValue("Webhooks:MaxBodyBytes", 1024 * 1024),
        TimeSpan.FromMilliseconds(configuration.GetValue("Webhooks:PublishTimeoutMs", 3000)),
        // Shopify gives up after 5 s; everything after reading the body must fit well inside it.
        TimeSpan.FromMilliseconds(configuration.GetValue("Webhooks:ResponseBudgetMs", 4500)));
}
