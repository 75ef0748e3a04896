using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Extensions;
using MorfX.Data;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi;

/// <summary>
/// config-api: each workspace's Twilio and Shopify settings, secrets encrypted at rest, and the internal look-ups.
/// The whole pipeline is in <see cref="Build"/>; tests build it in-process, on a free port, with their own settings.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(SchemaMigrator.MigrateOnly)) return await SchemaMigrator.MigrateOnlyAsync(args, ResourceNames.ConfigDb, typeof(Program).Assembly);
        await Build(args).RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options(args, typeof(Program).Assembly));
        configure?.Invoke(builder);
        builder.AddServiceDefaults(ResourceNames.ConfigApi);
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseServiceDefaults();
        // After authentication and authorization, so the test-SMS limiter partitions by the token's workspace.
        app.UseRateLimiter();
        app.MapDefaultEndpoints();
        app.MapIntegrationsApi();
        app.MapTwilioApi();
        app.MapSmsOptOutsApi();
        app.MapShopifyApi();
        app.MapMessagingSettingsApi();
        app.MapCustomerDataRequestsApi();
        app.MapInternalApi();
        return app;
    }
}
