using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;
using Polly;

namespace MorfX.ConfigApiClient;

public static class ConfigApiClientExtensions
{
    /// <summary>
    /// Registers <see cref="ConfigApiInternalClient"/> (typed HttpClient), the cached <see cref="IntegrationLookup"/> and the
    /// change feed that keeps it current (<see cref="IntegrationChangeFeed"/>), with <see cref="ConfigApiClientOptions"/> validated at start-up. Call AddIntegrationLookupInvalidation inside AddServiceBus.
    /// </summary>
    public static IServiceCollection AddIntegrationLookup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConfigApiClientOptions>()
            .Bind(configuration.GetSection(ConfigApiClientOptions.CacheSection))
            .Configure(o =>
            {
                if (configuration[ConfigApiClientOptions.BaseAddressKey] is { Length: > 0 } url && Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var uri))
                    o.BaseAddress = uri;
                o.ServiceKey = configuration[ConfigApiClientOptions.ServiceKeyKey] ?? "";
            })
            .ValidateDataAnnotations()
            .Validate(o => HttpUrls.IsAbsoluteHttp(o.BaseAddress), "Services:ConfigApi must be an absolute http(s) URL (config-api's internal endpoint).")
            .Validate(o => o.ChangePollInterval * 2 <= o.MaxStaleness,
                "IntegrationLookup:ChangePollInterval must be at most half of IntegrationLookup:MaxStaleness, or one slow read stops the cache.")
            .ValidateOnStart();
        services.AddSingleton(sp => new IntegrationLookup(
            sp.GetRequiredService<ConfigApiInternalClient>, sp.GetRequiredService<IOptions<ConfigApiClientOptions>>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new IntegrationChangeFeed(
            sp.GetRequiredService<ConfigApiInternalClient>, sp.GetRequiredService<IntegrationLookup>(), sp.GetRequiredService<IOptions<ConfigApiClientOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<IntegrationChangeFeed>>()));
        services.AddHostedService(sp => sp.GetRequiredService<IntegrationChangeFeed>());
        services.AddHttpClient<ConfigApiInternalClient>((sp, c) =>
            {
                var options = sp.GetRequiredService<IOptions<ConfigApiClientOptions>>().Value;
                c.BaseAddress = options.BaseAddress;
                // The whole look-up, retries included: a webhook waits for it, and its callers treat a timeout as "try later".
                c.Timeout = TimeSpan.FromSeconds(3);
                c.DefaultRequestHeaders.Add(ConfigApiInternalClient.InternalKeyHeader, options.ServiceKey);
            })
            // Callers handle HttpRequestException and cancellation; the standard handler's timeout and circuit-breaker
            // exceptions would escape them. One quick retry covers a config-api instance going away mid-request.
            .WithoutStandardResilience()
            .AddResilienceHandler("config-api-lookup", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            }));
        // The client's first call (its connection, and config-api's own first look-up) at start-up, not in the first webhook
        // or SMS after a start. Straight to the client, so nothing is cached; no workspace has the empty id.
        services.AddStartupWarmup("config-api look-up", (sp, ct) => sp.GetRequiredService<ConfigApiInternalClient>().GetTwilioAsync(Guid.Empty, ct));
        return services;
    }

    public static void AddIntegrationLookupInvalidation(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<IntegrationChangedCacheInvalidator>().Endpoint(e =>
        {
            e.Temporary = true;
            e.InstanceId = Guid.NewGuid().ToString("N")[..8];
        });
        bus.AddReceiveEndpointObserver<InvalidationGapObserver>();
    }
}
