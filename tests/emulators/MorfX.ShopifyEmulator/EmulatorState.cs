using System.Text.Json.Nodes;

namespace MorfX.ShopifyEmulator;

/// <summary>A webhook subscription created through the Admin API; the access token identifies the shop that created it.</summary>
public sealed record Subscription(long Id, string AccessToken, string Topic, string CallbackUrl, string Format, DateTimeOffset CreatedAt)
{
    public string Gid => $"gid://shopify/WebhookSubscription/{Id}";
}

/// <summary>
/// A failure the Admin API should answer with, for tests: `unauthorized` (401), `server_error` (500), `throttled`
/// (GraphQL THROTTLED error) or `user_error` (webhookSubscriptionCreate answers a userError). Limited to one access token
/// when AccessToken is set, to calls of one root field when Operation is set (e.g. webhookSubscriptionCreate), and to Times
/// calls when Times is set (otherwise until cleared).
/// </summary>
public sealed record Fault(string Kind, string? AccessToken, int? Times, string? Operation = null);

/// <summary>A shop's Admin API access token, as POST /_emulator/shops registers it.</summary>
public sealed record ShopRegistration(string ShopDomain, string AccessToken);

/// <summary>
/// A delivery the emulator made (or held back: Error "deliveries_off", no status), as seen by GET /_emulator/deliveries.
/// TargetUrl is null only for a held-back delivery that had nowhere to go.
/// </summary>
public sealed record DeliveryRecord(string WebhookId, string Topic, string ShopDomain, string? TargetUrl, int? Status, string? Error, DateTimeOffset DeliveredAt);

/// <summary>A subscription Shopify removed because its deliveries kept failing, as seen by GET /_emulator/subscriptions/removed.</summary>
public sealed record RemovedSubscription(string Id, string Token, string? ShopDomain, string Topic, string CallbackUrl, int ConsecutiveFailures, DateTimeOffset RemovedAt);

/// <summary>Everything the emulator remembers, in memory, for the life of the process.</summary>
public sealed class EmulatorState
{
    readonly Lock _lock = new();
    readonly List<Subscription> _subscriptions = [];
    readonly List<Fault> _faults = [];
    readonly List<DeliveryRecord> _deliveries = [];
    readonly Dictionary<string, string> _shopByToken = new(StringComparer.Ordinal);
    // The orders and draft orders each shop has at Shopify: the REST JSON last delivered or stored, by id.
    readonly Dictionary<(string Shop, string Kind), Dictionary<long, JsonObject>> _orders = [];
    readonly Dictionary<long, int> _failuresInARow = [];
    readonly List<RemovedSubscription> _removed = [];
    readonly HashSet<string> _deliveriesOff = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _adminCalls = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _throttled = new(StringComparer.Ordinal);
    long _nextId = 1_000_000_000;

    public const string DuplicateAddressMessage = "Address for this topic has already been taken";
    public const string OrderKind = "order";
    public const string DraftOrderKind = "draft_order";
    public const int DefaultRemoveSubscriptionAfterFailures = 8;

    /// <summary>Consecutive failed deliveries after which Shopify removes a subscription (POST /_emulator/settings).</summary>
    public int RemoveSubscriptionAfterFailures { get; set; } = DefaultRemoveSubscriptionAfterFailures;

    /// <summary>When set, every Admin API answer carries X-Shopify-API-Deprecated-Reason with it (POST /_emulator/settings).</summary>
    public string? DeprecatedReason { get; set; }

    /// <summary>The Admin GraphQL API's cost limit (POST /_emulator/throttle).</summary>
    public CostThrottle Throttle { get; } = new();

    public (Subscription? Created, string? Error) AddSubscription(string accessToken, string topic, string callbackUrl, string format)
    {
        lock (_lock)
        {
            // Shopify refuses a second subscription of the same topic to the same address for one shop.
            if (_subscriptions.Any(s => s.AccessToken == accessToken && s.Topic == topic && s.CallbackUrl == callbackUrl))
                return (null, DuplicateAddressMessage);
            var created = new Subscription(++_nextId, accessToken, topic, callbackUrl, format, DateTimeOffset.UtcNow);
            _subscriptions.Add(created);
            return (created, null);
        }
    }

    public bool RemoveSubscription(string accessToken, string gid)
    {
        lock (_lock) return _subscriptions.RemoveAll(s => s.AccessToken == accessToken && s.Gid == gid) > 0;
    }

    public IReadOnlyList<Subscription> Subscriptions(string? accessToken = null)
    {
        lock (_lock) return [.. _subscriptions.Where(s => accessToken is null || s.AccessToken == accessToken)];
    }

    /// <summary>The newest subscription to the topic (ORDERS_CREATE form), optionally of one access token.</summary>
    public Subscription? LatestFor(string topic, string? accessToken)
    {
        lock (_lock)
            return _subscriptions.LastOrDefault(s => s.Topic == topic && (accessToken is null || s.AccessToken == accessToken));
    }

    /// <summary>The token belongs to the shop from now on (a token identifies one shop at Shopify).</summary>
    public void RegisterShop(string shopDomain, string accessToken)
    {
        lock (_lock) _shopByToken[accessToken] = NormalizeShop(shopDomain);
    }

    /// <summary>The shop the token belongs to, or null for a token Shopify would not recognise.</summary>
    public string? ShopOf(string accessToken)
    {
        lock (_lock) return _shopByToken.GetValueOrDefault(accessToken);
    }

    public IReadOnlyList<ShopRegistration> Shops()
    {
        lock (_lock) return [.. _shopByToken.Select(s => new ShopRegistration(s.Value, Last4(s.Key)))];
    }

    public void AddFault(Fault fault)
    {
        lock (_lock) _faults.Add(fault);
    }

    /// <summary>The fault that applies to this call (its token and query), if any; a fault limited to N calls is used up here.</summary>
    public Fault? TakeFault(string accessToken, string query)
    {
        lock (_lock)
        {
            var index = _faults.FindIndex(f => (f.AccessToken is null || f.AccessToken == accessToken)
                && (f.Operation is null || query.Contains(f.Operation, StringComparison.Ordinal)));
            if (index < 0) return null;
            var fault = _faults[index];
            if (fault.Times is { } times)
            {
                if (times <= 1) _faults.RemoveAt(index);
                else _faults[index] = fault with { Times = times - 1 };
            }
            return fault;
        }
    }

    public void ClearFaults()
    {
        lock (_lock) _faults.Clear();
    }

    public void Record(DeliveryRecord delivery)
    {
        lock (_lock) _deliveries.Add(delivery);
    }

    public IReadOnlyList<DeliveryRecord> Deliveries()
    {
        lock (_lock) return [.. _deliveries];
    }

    /// <summary>orders/create and orders/updated carry an order, draft_orders/create a draft order; other topics neither.</summary>
    public static string? KindOfTopic(string topic) => topic switch
    {
        "orders/create" or "orders/updated" => OrderKind,
        "draft_orders/create" => DraftOrderKind,
        _ => null,
    };

    /// <summary>
    /// Stores (or replaces) the shop's order or draft order; false when the payload is not a JSON object with a numeric id.
    /// A payload older than the stored one (a retried delivery carries its original payload) does not roll Shopify's order
    /// back: the store keeps the newest updated_at, as the shop itself does.
    /// </summary>
    public bool StoreOrder(string shopDomain, string kind, JsonNode? payload)
    {
        if (payload is not JsonObject order || order["id"] is not JsonValue id || !id.TryGetValue<long>(out var orderId)) return false;
        lock (_lock)
        {
            var key = (NormalizeShop(shopDomain), kind);
            if (!_orders.TryGetValue(key, out var byId)) _orders[key] = byId = [];
            if (!byId.TryGetValue(orderId, out var stored) || !(UpdatedAt(stored) > UpdatedAt(order))) byId[orderId] = order.DeepClone().AsObject();
            return true;
        }
    }

    static DateTimeOffset? UpdatedAt(JsonObject order) =>
        order["updated_at"] is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;

    /// <summary>Copies of the shop's stored orders (kind "order") or draft orders ("draft_order").</summary>
    public IReadOnlyList<JsonObject> Orders(string shopDomain, string kind)
    {
        lock (_lock)
            return _orders.TryGetValue((NormalizeShop(shopDomain), kind), out var byId)
                ? [.. byId.Values.Select(o => o.DeepClone().AsObject())]
                : [];
    }

    /// <summary>
    /// The subscription a delivery to an explicit address went to: same callback URL and topic (and token, when given),
    /// preferring one whose token belongs to the delivery's shop; null when none matches.
    /// </summary>
    public Subscription? SubscriptionAt(string callbackUrl, string enumTopic, string? accessToken, string shopDomain)
    {
        lock (_lock)
        {
            var matching = _subscriptions
                .Where(s => s.CallbackUrl == callbackUrl && s.Topic == enumTopic && (accessToken is null || s.AccessToken == accessToken))
                .ToList();
            var shop = NormalizeShop(shopDomain);
            return matching.LastOrDefault(s => _shopByToken.GetValueOrDefault(s.AccessToken) == shop) ?? matching.LastOrDefault();
        }
    }

    /// <summary>
    /// Counts a delivery's outcome against its subscription: a success resets the count; the Nth failure in a row
    /// (RemoveSubscriptionAfterFailures) removes the subscription, as Shopify does, and returns what was removed.
    /// </summary>
    public RemovedSubscription? CountDelivery(Subscription subscription, bool succeeded)
    {
        lock (_lock)
        {
            if (succeeded || !_subscriptions.Contains(subscription))
            {
                _failuresInARow.Remove(subscription.Id);
                return null;
            }
            var failures = _failuresInARow[subscription.Id] = _failuresInARow.GetValueOrDefault(subscription.Id) + 1;
            if (failures < RemoveSubscriptionAfterFailures) return null;

            _subscriptions.Remove(subscription);
            _failuresInARow.Remove(subscription.Id);
            var removed = new RemovedSubscription(subscription.Gid, Last4(subscription.AccessToken), _shopByToken.GetValueOrDefault(subscription.AccessToken),
                subscription.Topic, subscription.CallbackUrl, failures, DateTimeOffset.UtcNow);
            _removed.Add(removed);
            return removed;
        }
    }

    public IReadOnlyList<RemovedSubscription> RemovedSubscriptions()
    {
        lock (_lock) return [.. _removed];
    }

    /// <summary>Turns the shop's webhook deliveries off (its orders are still stored) or back on.</summary>
    public void SetDeliveries(string shopDomain, bool enabled)
    {
        lock (_lock)
        {
            if (enabled) _deliveriesOff.Remove(NormalizeShop(shopDomain));
            else _deliveriesOff.Add(NormalizeShop(shopDomain));
        }
    }

    public bool DeliveriesEnabled(string shopDomain)
    {
        lock (_lock) return !_deliveriesOff.Contains(NormalizeShop(shopDomain));
    }

    /// <summary>An Admin API call made for the shop (throttled: answered THROTTLED), for GET /_emulator/stats.</summary>
    public void CountAdminCall(string shopDomain, bool throttled)
    {
        lock (_lock)
        {
            _adminCalls[shopDomain] = _adminCalls.GetValueOrDefault(shopDomain) + 1;
            if (throttled) _throttled[shopDomain] = _throttled.GetValueOrDefault(shopDomain) + 1;
        }
    }

    public (Dictionary<string, int> AdminCalls, Dictionary<string, int> Throttled) Stats()
    {
        lock (_lock) return (new(_adminCalls), new(_throttled));
    }

    public void Reset()
    {
        lock (_lock)
        {
            _subscriptions.Clear();
            _faults.Clear();
            _deliveries.Clear();
            _shopByToken.Clear();
            _orders.Clear();
            _failuresInARow.Clear();
            _removed.Clear();
            _deliveriesOff.Clear();
            _adminCalls.Clear();
            _throttled.Clear();
            RemoveSubscriptionAfterFailures = DefaultRemoveSubscriptionAfterFailures;
            DeprecatedReason = null;
        }
        Throttle.Reset();
    }

    public static string NormalizeShop(string shopDomain) => shopDomain.Trim().ToLowerInvariant();

    /// <summary>orders/create -> ORDERS_CREATE (the GraphQL enum), and back.</summary>
    public static string ToEnumTopic(string topic) => topic.Replace('/', '_').ToUpperInvariant();

    public static string ToWebhookTopic(string enumTopic)
    {
        var lower = enumTopic.ToLowerInvariant();
        var split = lower.LastIndexOf('_');
        return split < 0 ? lower : lower[..split] + "/" + lower[(split + 1)..];
    }

    public static string Last4(string token) => token.Length <= 4 ? "****" : "****" + token[^4..];
}
