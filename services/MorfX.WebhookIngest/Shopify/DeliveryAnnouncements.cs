using System.Collections.Concurrent;

namespace MorfX.WebhookIngest.Shopify;

/// <summary>
/// config-api shows each webhook's last delivery; to the minute is enough, so ShopifyWebhookDelivered goes out at most
/// once a minute per shop and topic instead of once per webhook (a message, a consumer and a database write each).
/// </summary>
public sealed class DeliveryAnnouncements
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<(string Shop, string Topic), DateTimeOffset> _last = new();

    public bool ShouldAnnounce(string shopDomain, string topic, DateTimeOffset now)
    {
        var key = (shopDomain, topic);
        if (_last.TryGetValue(key, out var last) && now - last < Window) return false;
        _last[key] = now;
        return true;
    }
}
