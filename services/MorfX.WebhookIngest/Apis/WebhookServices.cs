using MassTransit;
using MorfX.ServiceDefaults.Fairness;
using MorfX.ConfigApiClient;
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
