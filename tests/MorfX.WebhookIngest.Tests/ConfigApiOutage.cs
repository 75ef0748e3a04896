using System.Collections.Concurrent;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// In ingest's client for config-api's look-ups: the look-ups of the workspaces a test names fail as when config-api is down
/// (no answer), while every other workspace's, other tests' included, go through.
/// </summary>
public sealed class ConfigApiOutage : DelegatingHandler
{
    static readonly ConcurrentDictionary<Guid, byte> Down = new();

    public static void Begin(Guid workspaceId) => Down[workspaceId] = 0;

    public static void End(Guid workspaceId) => Down.TryRemove(workspaceId, out _);

    static long _shopLookups;

    /// <summary>Shop look-ups (GET /internal/shopify/shops/…) ingest has sent to config-api since start.</summary>
    public static long ShopLookups => Interlocked.Read(ref _shopLookups);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (path.StartsWith("/internal/shopify/shops/", StringComparison.Ordinal)) Interlocked.Increment(ref _shopLookups);
        if (Down.Keys.Any(w => path.EndsWith(w.ToString(), StringComparison.OrdinalIgnoreCase)))
            throw new HttpRequestException("config-api is down (ConfigApiOutage)");
        return await base.SendAsync(request, ct);
    }
}
