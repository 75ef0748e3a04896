using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.ConfigApiClient;

/// <summary>
/// The one synchronous call between services: config-api's internal secret look-up, through
/// <see cref="ConfigApiInternalClient"/>. Answers are cached, misses too, each in a cache of bounded size (a full
/// cache stops adding until its entries expire). A change drops what it touches twice over: at once when its
/// IntegrationChanged arrives, and within a second or two through config-api's change feed (<see cref="IntegrationChangeFeed"/>),
/// which a lost message or a reconnect cannot defeat. A cached answer is served only while the feed has been read within
/// <see cref="ConfigApiClientOptions.MaxStaleness"/> (5 s): past that, every look-up asks config-api, so a deleted or
/// rotated credential is never used longer than that, and a config-api that cannot be reached is an error the callers
/// already retry. An answer older than <see cref="RefreshAfter"/> is still served while one background look-up renews it,
/// so a workspace never waits for config-api once its answer is cached: not while it is busy, nor for its first order
/// after a quiet spell (decision 0025). Only an answer past <see cref="Ttl"/>, or a miss past <see cref="MissTtl"/>, is
/// looked up again first. Concurrent look-ups of one key share a single call. A shop domain that cannot be a Shopify
/// domain is a miss without a call. A singleton: it asks for a typed client per call, so the factory keeps rotating the
/// client's handlers.
/// Anonymous callers (webhooks) ask through the known-key set (decision 0038): the shop domains and workspaces config-api
/// holds, read whole when the change feed starts over and grown by every change. Keys outside it (not cached as a miss)
/// share one budget of calls per second, past which they are misses without a call: a flood of unknown shops or workspaces
/// costs config-api a bounded rate however large it is, known keys never wait for that budget, and a shop connected a
/// moment ago is in the set within a feed read (or at once, through its IntegrationChanged).
/// </summary>
public sealed class IntegrationLookup(Func<ConfigApiInternalClient> client, IOptions<ConfigApiClientOptions> options, TimeProvider? clock = null)
    : IDisposable
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(45), Ttl = TimeSpan.FromMinutes(10), MissTtl = TimeSpan.FromSeconds(60);

    sealed record Entry(object? Value, DateTimeOffset FetchedAt);

    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly TimeSpan _maxStaleness = options.Value.MaxStaleness;
    // UTC ticks of the latest feed read that caught up with config-api (as of when it was asked); 0 before the first.
    long _changesReadAt;
    readonly MemoryCache _found = new(new MemoryCacheOptions { SizeLimit = options.Value.MaxCached });
    readonly MemoryCache _missing = new(new MemoryCacheOptions { SizeLimit = options.Value.MaxCachedMisses });
    readonly ConcurrentDictionary<string, Task<object?>> _inFlight = new();
    // Bumped by every invalidation: a look-up that started before one does not cache what it read.
    long _version;

    // Which cache keys belong to a workspace, so IntegrationChanged can drop them (a shop is looked up by domain).
    readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> _keysByWorkspace = new();

    // The keys config-api holds (null until the feed's first read); only grows between start-overs.
    volatile ConcurrentDictionary<string, byte>? _known;
    readonly System.Threading.RateLimiting.TokenBucketRateLimiter _unknownBudget = new(new()
    {
        TokenLimit = options.Value.UnknownLookupsPerSecond, TokensPerPeriod = options.Value.UnknownLookupsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
    });
    long _calls, _refusedUnknown;

    /// <summary>Look-ups sent to config-api since start (renewals included).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Anonymous look-ups answered as misses without a call: outside the known keys, or past the budget for them.</summary>
    public long RefusedUnknown => Interlocked.Read(ref _refusedUnknown);

    /// <summary>The queue this instance hears IntegrationChanged on, once it was ready (<see cref="InvalidationGapObserver"/>).</summary>
    public Uri? InvalidationQueue { get; internal set; }

    /// <summary>How many misses are remembered now; never more than the limit.</summary>
    public int CachedMisses => _missing.Count;

    /// <param name="anonymous">Asked for a request nobody has authenticated yet (a webhook): keys config-api does not hold cost no call.</param>
    public Task<TwilioCredentials?> GetTwilioAsync(Guid workspaceId, CancellationToken ct = default, bool anonymous = false) =>
        GetAsync($"twilio:{workspaceId}", (c, t) => c.GetTwilioAsync(workspaceId, t), workspaceId, c => c.WorkspaceId, anonymous, ct);

    /// <summary>Only anonymous callers (Shopify webhooks) ask for shops: keys config-api does not hold cost no call.</summary>

    public Task<ShopifyShop?> GetShopifyShopAsync(string shopDomain, CancellationToken ct = default)
    {
        var domain = shopDomain.ToLowerInvariant();
        return ShopDomains.IsValid(domain)
            ? GetAsync($"shopify:{domain}", (c, t) => c.GetShopifyShopAsync(domain, t), null, s => s.WorkspaceId, true, ct)
            : Task.FromResult<ShopifyShop?>(null);
    }

    /// <summary>
    /// Whether cached answers may be served: config-api's change feed was read, up to its head, within
    /// <see cref="ConfigApiClientOptions.MaxStaleness"/>.
    /// </summary>
    public bool IsCurrent => _clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _changesReadAt) < _maxStaleness.Ticks;

    /// <summary>The change feed was read up to its head, as of <paramref name="asOf"/> (when the read was asked for).</summary>
    public void ChangesReadAsOf(DateTimeOffset asOf)
    {
        var ticks = asOf.UtcTicks;
        for (var seen = Interlocked.Read(ref _changesReadAt); ticks > seen; seen = Interlocked.Read(ref _changesReadAt))
            if (Interlocked.CompareExchange(ref _changesReadAt, ticks, seen) == seen) return;
    }

    /// <summary>Drops everything cached for the workspace, and the shop domain named in the change (it may have been cached as a miss).</summary>
    public void Invalidate(IntegrationChanged change) => Invalidate(change.WorkspaceId, change.ShopDomain);

    /// <inheritdoc cref="Invalidate(IntegrationChanged)"/>
    public void Invalidate(Guid workspaceId, string? shopDomain)
    {
        Interlocked.Increment(ref _version);
        if (_known is { } known)
        {
            known.TryAdd($"twilio:{workspaceId}", 0);
            if (shopDomain is { Length: > 0 } changed) known.TryAdd($"shopify:{changed.ToLowerInvariant()}", 0);
        }
        if (_keysByWorkspace.TryRemove(workspaceId, out var keys))
            foreach (var key in keys.Keys) Remove(key);
        Remove($"twilio:{workspaceId}");
        if (shopDomain is { Length: > 0 } domain) Remove($"shopify:{domain.ToLowerInvariant()}");
    }

    /// <summary>The keys config-api holds, read whole (<see cref="IntegrationChangeFeed"/> on a start-over): replaces the set.</summary>
    public void KnowOnly(IntegrationKeys keys)
    {
        var known = new ConcurrentDictionary<string, byte>();
        foreach (var domain in keys.ShopDomains ?? []) known.TryAdd($"shopify:{domain.ToLowerInvariant()}", 0);
        foreach (var workspace in keys.TwilioWorkspaces ?? []) known.TryAdd($"twilio:{workspace}", 0);
        _known = known;
    }

    /// <summary>Drops every cached answer (and what calls under way would cache); how many there were.</summary>
    public int InvalidateAll()
    {
        Interlocked.Increment(ref _version);
        var count = _found.Count + _missing.Count;
        _found.Clear();
        _missing.Clear();
        _keysByWorkspace.Clear();
        _inFlight.Clear();
        return count;
    }

    void Remove(string key)
    {
        _found.Remove(key);
        _missing.Remove(key);
        _inFlight.TryRemove(key, out _);
    }

    async Task<T?> GetAsync<T>(string key, Func<ConfigApiInternalClient, CancellationToken, Task<T?>> fetch, Guid? workspaceId,
        Func<T, Guid> workspaceOf, bool anonymous, CancellationToken ct)
        where T : class
    {
        if (IsCurrent && (_found.Get<Entry>(key) ?? _missing.Get<Entry>(key)) is { } cached)
        {
            var age = _clock.GetUtcNow() - cached.FetchedAt;
            if (age < (cached.Value is null ? MissTtl : Ttl))
            {
                if (age >= RefreshAfter) _ = RenewAsync(LookUpOnceAsync(key, fetch, workspaceId, workspaceOf));
                return (T?)cached.Value;
            }
        }
        // Not a key config-api holds (as far as this instance has heard): asked about only within the global budget, so a
        // flood of them costs config-api a bounded rate, and a shop connected a moment ago (its change not heard yet) still
        // gets through unless a flood is spending the budget, in which case Shopify's retry, a moment later, finds it known.
        if (anonymous && _known?.ContainsKey(key) != true)
        {
            using var lease = _unknownBudget.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                Interlocked.Increment(ref _refusedUnknown);
                return null;
            }
        }
        return (T?)await LookUpOnceAsync(key, fetch, workspaceId, workspaceOf).WaitAsync(ct);
    }

    /// <summary>A renewal that fails changes nothing: the cached answer serves until <see cref="Ttl"/>, and the look-up after that reports the failure.</summary>
    static async Task RenewAsync(Task<object?> renewal)
    {
        try { await renewal; }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException) { }
    }

    /// <summary>One call per key at a time, whoever asks meanwhile shares it; not cancelled by any one caller (the client's timeout bounds it).</summary>
    Task<object?> LookUpOnceAsync<T>(string key, Func<ConfigApiInternalClient, CancellationToken, Task<T?>> fetch, Guid? workspaceId,
        Func<T, Guid> workspaceOf)
        where T : class
    {
        if (_inFlight.TryGetValue(key, out var running)) return running;
        var call = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(key, call.Task)) return _inFlight.TryGetValue(key, out running) ? running : LookUpOnceAsync(key, fetch, workspaceId, workspaceOf);
        _ = RunAsync();
        return call.Task;

        async Task RunAsync()
        {
            var version = Interlocked.Read(ref _version);
            Interlocked.Increment(ref _calls);
            try
            {
                var value = await fetch(client(), CancellationToken.None);
                if (Interlocked.Read(ref _version) == version) Store(key, value, workspaceId, workspaceOf);
                call.SetResult(value);
            }
            catch (Exception e)
            {
                call.SetException(e);
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<string, Task<object?>>(key, call.Task));
            }
        }
    }

    void Store<T>(string key, T? value, Guid? workspaceId, Func<T, Guid> workspaceOf) where T : class
    {
        var entry = new Entry(value, _clock.GetUtcNow());
        if (value is null)
        {
            _found.Remove(key);
            _missing.Set(key, entry, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = MissTtl, Size = 1 });
            return;
        }
        _missing.Remove(key);
        _found.Set(key, entry, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Ttl, Size = 1 });
        _keysByWorkspace.GetOrAdd(workspaceId ?? workspaceOf(value), _ => new()).TryAdd(key, 0);
    }

    public void Dispose()
    {
        _found.Dispose();
        _missing.Dispose();
        _unknownBudget.Dispose();
    }
}
