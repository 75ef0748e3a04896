using System.Diagnostics.Metrics;

namespace MorfX.ConfigApi.Shopify;

/// <summary>Counters on the "MorfX" meter for Shopify delivery health: orders recovered by reconciliation, subscriptions restored.</summary>
public sealed class ShopifyMetrics(Meter meter)
{
    readonly Counter<long> _recovered = meter.CreateCounter<long>("morfx.shopify.orders_recovered",
        description: "Shopify order events the engine first ran from reconciliation, because no webhook brought them");
    readonly Counter<long> _restored = meter.CreateCounter<long>("morfx.shopify.subscriptions_restored",
        description: "Webhook subscriptions found missing at Shopify and created again");

    public void Recovered(string trigger, long count) => _recovered.Add(count, new KeyValuePair<string, object?>("topic", trigger));

    public void Restored(string topic) => _restored.Add(1, new KeyValuePair<string, object?>("topic", topic));
}
