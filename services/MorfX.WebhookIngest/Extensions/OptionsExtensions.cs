using Microsoft.Extensions.Options;
using MorfX.WebhookIngest.Apis;
using MorfX.WebhookIngest.Twilio;

namespace MorfX.WebhookIngest.Extensions;

/// <summary>webhook-ingest's settings, bound from configuration and checked when the service starts (a bad value stops it, naming the key).</summary>
public static class OptionsExtensions
{
    public static IServiceCollection AddWebhookIngestOptions(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Configure<IConfiguration>((o, c) => o.PublicBaseUrl = (c["PublicUrls:WebhookIngest"] is { Length: > 0 } url ? url : o.PublicBaseUrl).TrimEnd('/'))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);
        services.AddOptions<RefusalLimitOptions>().BindConfiguration(RefusalLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RefusalLimitOptions>>().Value);
        services.AddSingleton<RefusalLimit>();
        services.AddOptions<UnverifiedInboundOptions>().BindConfiguration(UnverifiedInboundOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<UnverifiedInboundOptions>>().Value);
        return services;
    }
}
