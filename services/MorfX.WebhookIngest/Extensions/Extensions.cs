using Microsoft.Extensions.DependencyInjection.Extensions;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Data;
using MorfX.Messaging;
using MorfX.Messaging.Fairness;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;
using MorfX.WebhookIngest.Apis;
using MorfX.WebhookIngest.Consumers;
using MorfX.WebhookIngest.Data;
using MorfX.WebhookIngest.Shopify;
using MorfX.WebhookIngest.Twilio;

namespace MorfX.WebhookIngest.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IngestDbContext>(ResourceNames.IngestDb);
        // The dedupe key of every delivery: kept well past Shopify's redeliveries (up to 48 h), never less.
        builder.AddRetention<IngestDbContext>(
            new RetentionRule("received_webhooks", "received_at", Keep: TimeSpan.FromDays(7), AtLeast: TimeSpan.FromDays(2)),
            OutboxExtensions.Retention);
        // Shopify's events, committed with the webhook's id before the 200 (see ShopifyWebhooksApi).
        builder.AddOutbox<IngestDbContext>(o => o
            .Message<ShopifyOrderCreated>().Message<ShopifyOrderUpdated>().Message<ShopifyDraftOrderCreated>()
            .Message<ShopifyCustomerDataRequested>().Message<ShopifyCustomerRedactRequested>().Message<ShopifyShopRedactRequested>()
            .Message<ShopifyWebhookDelivered>()
            // Twilio's callbacks are published straight away; only those the broker does not confirm in time are written here.
            .Message<TwilioStatusReported>().Message<TwilioInboundReceived>());
        builder.Services.AddIntegrationLookup(builder.Configuration);
        builder.Services.AddBulkLanes(BulkLanes.Queues, BulkLanes.WorkspaceOf);
        builder.AddServiceBus(ResourceNames.WebhookIngest, x =>
        {
            x.AddConsumer<ShopifyRedactionConsumer>();
            x.AddIntegrationLookupInvalidation();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddWebhookIngestOptions();
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<DeliveryAnnouncements>();
        builder.Services.AddSingleton<StatusReportPublisher>();
        builder.Services.AddSingleton<WebhookClaims>();
        // Inbound SMS kept while config-api cannot give their auth token, verified once it can.
        builder.Services.AddScoped<UnverifiedInbound>();
        builder.Services.AddHostedService<UnverifiedInboundVerifier>();
    }
}
