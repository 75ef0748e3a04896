using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Shopify;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Extensions;

/// <summary>config-api's settings, bound from configuration and checked when the service starts (a bad value stops it, naming the key).</summary>
public static class OptionsExtensions
{
    public static IServiceCollection AddConfigApiOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TestSmsOptions>().Bind(configuration.GetSection(TestSmsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ShopifyAdminOptions>().Bind(configuration.GetSection(ShopifyAdminOptions.Section))
            .Configure(o =>
            {
                if (configuration[ShopifyAdminOptions.WebhookIngestBaseUrlKey] is { Length: > 0 } url) o.WebhookIngestBaseUrl = url.TrimEnd('/');
            })
            .Validate(o => o.AdminBaseUrl is null || HttpUrls.IsAbsoluteHttp(o.AdminBaseUrl), "Shopify:AdminBaseUrl must be an absolute http(s) URL.")
            .Validate(o => HttpUrls.IsAbsoluteHttp(o.WebhookIngestBaseUrl),
                "PublicUrls:WebhookIngest must be an absolute http(s) URL (Shopify delivers webhooks there).")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
