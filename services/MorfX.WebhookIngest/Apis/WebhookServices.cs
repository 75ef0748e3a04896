using MassTransit;
using MorfX.ConfigApiClient;
using MorfX.Messaging.Fairness;
using MorfX.Messaging.Outbox;
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
    StatusReportPublisher statusReports,
    WebhookClaims claims,
    Outbox<IngestDbContext> outbox,
    ILogger<WebhookServices> logger)
{
    /// <summary>
    /// Shopify's events go through it: committed with the webhook's id, then published (a workspace over its share of the shared
    /// queue to the bulk lane).
    /// </summary>
    public Outbox<IngestDbContext> Outbox { get; } = outbox;
    public DeliveryAnnouncements Announcements { get; } = announcements;
    /// <summary>Shopify webhook ids claimed with their events, many webhooks to a statement.</summary>
    public WebhookClaims Claims { get; } = claims;
    /// <summary>Twilio's status callbacks, published many to a message.</summary>
    public StatusReportPublisher StatusReports { get; } = statusReports;
    public IntegrationLookup Lookup { get; } = lookup;
    public IPublishEndpoint Publisher { get; } = publisher;
    public IngestDbContext Db { get; } = db;
    public WebhookMetrics Metrics { get; } = metrics;
    public WebhookOptions Options { get; } = options;
    public TimeProvider Clock { get; } = clock;
    public ILogger<WebhookServices> Logger { get; } = logger;
}
