using MorfX.WebhookIngest.Shopify;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;
using MorfX.ServiceDefaults.Integrations;
using MorfX.WebhookIngest.Apis;
using MorfX.WebhookIngest.Data;

namespace MorfX.WebhookIngest.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IngestDbContext>(ResourceNames.IngestDb);
        builder.AddIntegrationLookup();
        builder.AddServiceBus(ResourceNames.WebhookIngest, x => x.AddIntegrationLookupInvalidation());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(WebhookOptions.From(builder.Configuration));
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<DeliveryAnnouncements>();
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
        app.MapShopifyWebhooksApi();
        app.MapTwilioCallbacksApi();
        app.MapTwilioInboundApi();
    }
}
