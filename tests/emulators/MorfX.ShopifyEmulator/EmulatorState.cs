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

/// <summary>A delivery the emulator made, as seen by GET /_emulator/deliveries.</summary>
public sealed record DeliveryRecord(string WebhookId, string Topic, string ShopDomain, string TargetUrl, int? Status, string? Error, DateTimeOffset DeliveredAt);

/// <summary>Everything the emulator remembers, in memory, for the life of the process.</summary>
public sealed class EmulatorState
{
    readonly Lock _lock = new();
    readonly List<Subscription> _subscriptions = [];
    readonly List<Fault> _faults = [];
    readonly List<DeliveryRecord> _deliveries = [];
    readonly Dictionary<string, string> _shopByToken = new(StringComparer.Ordinal);
    long _nextId = 1_000_000_000;

    public const string DuplicateAddressMessage = "Address for this topic has already been taken";

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
        lock (_lock) _shopByToken[accessToken] = shopDomain.Trim().ToLowerInvariant();
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

    public void Reset()
    {
        lock (_lock)
        {
            _subscriptions.Clear();
            _faults.Clear();
            _deliveries.Clear();
            _shopByToken.Clear();
        }
    }

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
