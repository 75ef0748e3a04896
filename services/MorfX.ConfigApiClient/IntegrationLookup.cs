using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.ConfigApiClient;

/// <summary>
/// The one synchronous call between services: config-api's internal secret look-up, through
/// <see cref="ConfigApiInternalClient"/>. Answers are cached briefly, misses too, each in a cache of bounded size (a full
/// cache stops adding until its entries expire), and dropped as soon as an IntegrationChanged for the workspace arrives.
/// A shop domain that cannot be a Shopify domain is a miss without a call. A singleton: it asks for a typed client per
/// call, so the factory keeps rotating the client's handlers.
/// </summary>
public sealed class IntegrationLookup(Func<ConfigApiInternalClient> client, IOptions<ConfigApiClientOptions> options) : IDisposable
{
    static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    readonly MemoryCache _found = new(new MemoryCacheOptions { SizeLimit = options.Value.MaxCached });
    readonly MemoryCache _missing = new(new MemoryCacheOptions { SizeLimit = options.Value.MaxCachedMisses });

    // Which cache keys belong to a workspace, so IntegrationChanged can drop them (a shop is looked up by domain).
    readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> _keysByWorkspace = new();

    /// <summary>How many misses are remembered now; never more than the limit.</summary>
    public int CachedMisses => _missing.Count;

    public Task<TwilioCredentials?> GetTwilioAsync(Guid workspaceId, CancellationToken ct = default) =>
        GetAsync($"twilio:{workspaceId}", c => c.GetTwilioAsync(workspaceId, ct), workspaceId, c => c.WorkspaceId);

    public Task<ShopifyShop?> GetShopifyShopAsync(string shopDomain, CancellationToken ct = default)
    {
        var domain = shopDomain.ToLowerInvariant();
        return ShopDomains.IsValid(domain)
            ? GetAsync($"shopify:{domain}", c => c.GetShopifyShopAsync(domain, ct), null, s => s.WorkspaceId)
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

    async Task<T?> GetAsync<T>(string key, Func<ConfigApiInternalClient, Task<T?>> fetch, Guid? workspaceId, Func<T, Guid> workspaceOf)
        where T : class
    {
        if (_found.TryGetValue(key, out T? cached)) return cached;
        if (_missing.TryGetValue(key, out _)) return null;
        var value = await fetch(client());
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

    public void Dispose()
    {
        _found.Dispose();
        _missing.Dispose();
    }
}
