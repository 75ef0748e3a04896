using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Microsoft.Extensions.Configuration;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Messaging;

namespace MorfX.ServiceDefaults.Integrations;

/// <summary>A workspace's Twilio credentials, from config-api's internal look-up. Holds a secret: never log it, never put it in a message.</summary>
public sealed record TwilioCredentials(Guid WorkspaceId, string AccountSid, string AuthToken, string FromNumber, string Status)
{
    public override string ToString() => $"TwilioCredentials {{ WorkspaceId = {WorkspaceId}, AccountSid = {AccountSid}, AuthToken = ****, FromNumber = {FromNumber}, Status = {Status} }}";
}

/// <summary>A connected Shopify shop, from config-api's internal look-up. Holds secrets: never log them.</summary>
public sealed record ShopifyShop(
    Guid WorkspaceId, string ShopDomain, string Status, string ClientSecret, string? PreviousClientSecret, string DefaultCountry, bool AutoSyncOrders)
{
    public override string ToString() => $"ShopifyShop {{ WorkspaceId = {WorkspaceId}, ShopDomain = {ShopDomain}, Status = {Status}, ClientSecret = ****, DefaultCountry = {DefaultCountry}, AutoSyncOrders = {AutoSyncOrders} }}";
}

/// <summary>How many answers the look-up keeps: found integrations and misses apart, so a flood of unknown shops cannot
/// push out the known ones (IntegrationLookup:MaxCached, IntegrationLookup:MaxCachedMisses).</summary>
public sealed record LookupCacheLimits(int Found = 10_000, int Missing = 10_000);

/// <summary>
/// The one synchronous call between services: config-api's internal secret look-up
/// (GET /internal/twilio/{workspaceId}, GET /internal/shopify/shops/{shopDomain}, header X-Internal-Key).
/// Answers are cached briefly, misses too, each in a cache of bounded size (a full cache stops adding until its entries
/// expire), and dropped as soon as an IntegrationChanged for the workspace arrives. A shop domain that cannot be a
/// Shopify domain is a miss without a call.
/// </summary>
public sealed class IntegrationLookup(IHttpClientFactory clients, LookupCacheLimits limits) : IDisposable
{
    public const string InternalKeyHeader = "X-Internal-Key";

    /// <summary>The named HttpClient for the look-ups (base address Services:ConfigApi, the internal key header).</summary>
    public const string HttpClientName = "config-api-internal";
    static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    readonly MemoryCache _found = new(new MemoryCacheOptions { SizeLimit = limits.Found });
    readonly MemoryCache _missing = new(new MemoryCacheOptions { SizeLimit = limits.Missing });

    // Which cache keys belong to a workspace, so IntegrationChanged can drop them (a shop is looked up by domain).
    readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> _keysByWorkspace = new();

    /// <summary>How many misses are remembered now; never more than the limit.</summary>
    public int CachedMisses => _missing.Count;

    public Task<TwilioCredentials?> GetTwilioAsync(Guid workspaceId, CancellationToken ct = default) =>
        GetAsync<TwilioCredentials>($"twilio:{workspaceId}", $"/internal/twilio/{workspaceId}", workspaceId, c => c.WorkspaceId, ct);

    public Task<ShopifyShop?> GetShopifyShopAsync(string shopDomain, CancellationToken ct = default)
    {
        var domain = shopDomain.ToLowerInvariant();
        return ShopDomains.IsValid(domain)
            ? GetAsync<ShopifyShop>($"shopify:{domain}", $"/internal/shopify/shops/{domain}", null, s => s.WorkspaceId, ct)
            : Task.FromResult<ShopifyShop?>(null);
    }

    /// <summary>Drops everything cached for the workspace, and the shop domain named in the change (it may have been cached as a miss).</summary>
    public void Invalidate(IntegrationChanged change)
    {
        if (_keysByWorkspace.TryRemove(change.WorkspaceId, out var keys))
            foreach (var key in keys.Keys) Remove(key);
        Remove($"twilio:{change.WorkspaceId}");
        if (change.ShopDomain is { Length: > 0 } domain) Remove($"shopify:{domain.ToLowerInvariant()}");
    }

    void Remove(string key)
    {
        _found.Remove(key);
        _missing.Remove(key);
    }

    async Task<T?> GetAsync<T>(string key, string path, Guid? workspaceId, Func<T, Guid> workspaceOf, CancellationToken ct) where T : class
    {
        if (_found.TryGetValue(key, out T? cached)) return cached;
        if (_missing.TryGetValue(key, out _)) return null;
        using var http = clients.CreateClient(HttpClientName);
        using var response = await http.GetAsync(path, ct);
        T? value = response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, ct);
        var entry = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Ttl, Size = 1 };
        if (value is null)
        {
            _missing.Set(key, true, entry);
            return null;
        }
        _found.Set(key, value, entry);
        _keysByWorkspace.GetOrAdd(workspaceId ?? workspaceOf(value), _ => new()).TryAdd(key, 0);
        return value;
    }

    static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(ct);
    }

    public void Dispose()
    {
        _found.Dispose();
        _missing.Dispose();
    }
}

/// <summary>Drops cached look-ups when a workspace's integration changes. One temporary queue per instance, so every instance hears it.</summary>
public sealed class IntegrationChangedCacheInvalidator(IntegrationLookup lookup) : IConsumer<IntegrationChanged>
{
    public Task Consume(ConsumeContext<IntegrationChanged> context)
    {
        lookup.Invalidate(context.Message);
        return Task.CompletedTask;
    }
}

public static class IntegrationLookupExtensions
{
    /// <summary>
    /// Registers the look-up client. Services:ConfigApi is config-api's internal endpoint: under the AppHost the service
    /// discovery name http://_internal.config-api (the default), in the cluster http://config-api:8081, in tests an address.
    /// Call AddIntegrationLookupInvalidation inside AddServiceBus.
    /// </summary>
    public static WebApplicationBuilder AddIntegrationLookup(this WebApplicationBuilder builder)
    {
        var baseAddress = new Uri(builder.Configuration["Services:ConfigApi"] is { Length: > 0 } url ? url : "http://_internal.config-api");
        var key = builder.Configuration.Require("Internal:ServiceKey");
        builder.Services.AddSingleton(new LookupCacheLimits(
            builder.Configuration.GetValue("IntegrationLookup:MaxCached", 10_000),
            builder.Configuration.GetValue("IntegrationLookup:MaxCachedMisses", 10_000)));
        builder.Services.AddSingleton<IntegrationLookup>();
        builder.Services.AddHttpClient(IntegrationLookup.HttpClientName, c =>
            {
                c.BaseAddress = baseAddress;
                // The whole look-up, retries included: a webhook waits for it, and its callers treat a timeout as "try later".
                c.Timeout = TimeSpan.FromSeconds(3);
                c.DefaultRequestHeaders.Add(IntegrationLookup.InternalKeyHeader, key);
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
        return builder;
    }

    public static void AddIntegrationLookupInvalidation(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<IntegrationChangedCacheInvalidator>().Endpoint(e =>
        {
            e.Temporary = true;
            e.InstanceId = Guid.NewGuid().ToString("N")[..8];
        });
}
