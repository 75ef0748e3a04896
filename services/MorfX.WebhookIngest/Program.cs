using MorfX.Data;
using MorfX.ServiceDefaults;
using MorfX.WebhookIngest.Apis;
using MorfX.WebhookIngest.Extensions;

namespace MorfX.WebhookIngest;

/// <summary>
/// webhook-ingest: Shopify's and Twilio's webhooks, checked, deduplicated and announced on the bus.
/// The whole pipeline is in <see cref="Build"/>; tests build it in-process, on a free port, with their own settings.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(SchemaMigrator.MigrateOnly)) return await SchemaMigrator.MigrateOnlyAsync(args, ResourceNames.IngestDb, typeof(Program).Assembly);
        await Build(args).RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options(args, typeof(Program).Assembly));
        configure?.Invoke(builder);
        builder.AddServiceDefaults(ResourceNames.WebhookIngest);
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapShopifyWebhooksApi();
        app.MapTwilioCallbacksApi();
        app.MapTwilioInboundApi();
        return app;
    }
}
