using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace MorfX.ServiceDefaults;

public static class HttpClientDefaults
{
    /// <summary>
    /// Every HttpClient from the factory resolves Aspire resource names (http://config-api, http://_internal.config-api)
    /// through service discovery, and goes through the standard resilience handler: rate limiter, total and per-attempt
    /// timeouts, retries with jittered backoff, circuit breaker. Only safe methods are retried: a POST may already have had
    /// its effect (a created message, a subscription), so repeating it is the caller's decision. A client with its own
    /// pipeline (sms-sender's Twilio client) removes this one with <see cref="WithoutStandardResilience"/>.
    /// </summary>
    internal static WebApplicationBuilder AddHttpClientDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>For a client whose own pipeline owns retries and timeouts, and whose callers expect its exceptions.</summary>
    public static IHttpClientBuilder WithoutStandardResilience(this IHttpClientBuilder client)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out
        return client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
