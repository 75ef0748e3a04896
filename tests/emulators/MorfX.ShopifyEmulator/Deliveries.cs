using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MorfX.Rules;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// A webhook delivery to make: topic (orders/create, orders/updated, draft_orders/create), the shop, the secret that
/// signs it, where to send it (default: the newest subscription's callback URL for the topic, of AccessToken when set),
/// the payload (default: the realistic sample for the topic), or RawBody to send text exactly as given (signed too).
/// HeaderStyle "events" drops the X- prefix, as Shopify's newer event deliveries do.
/// </summary>
public sealed record DeliveryRequest(
    string Topic,
    string ShopDomain,
    string Secret,
    string? TargetUrl = null,
    JsonNode? Payload = null,
    string? RawBody = null,
    string? WebhookId = null,
    string? EventId = null,
    string? AccessToken = null,
    string? ApiVersion = null,
    string? HeaderStyle = null);

public sealed record DeliveryResult(int? Status, string WebhookId, string EventId, string? TargetUrl, string? ResponseBody, long ElapsedMs, string? Error);

/// <summary>
/// Signs and posts webhook deliveries the way Shopify does (headers, HMAC of the raw body, 5 s limit). An order or draft
/// order topic also stores the order in the shop's store (the Admin API's `orders`/`draftOrders` serve it), delivered or
/// not; consecutive failures to a subscription remove it; a shop's deliveries can be switched off.
/// </summary>
public static class Deliveries
{
    public const string HttpClientName = "deliveries";
    public const string ApiVersion = "2026-10";
    public const string DeliveriesOff = "deliveries_off";
    public static readonly TimeSpan ShopifyTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> DeliverAsync(DeliveryRequest delivery, EmulatorState state, IHttpClientFactory clients, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(delivery.Topic) || string.IsNullOrWhiteSpace(delivery.ShopDomain) || string.IsNullOrEmpty(delivery.Secret))
            return Results.Problem(statusCode: 400, detail: "topic, shopDomain and secret are required.");

        string body;
        if (delivery.RawBody is not null) body = delivery.RawBody;
        else if (delivery.Payload is not null) body = delivery.Payload.ToJsonString();
        else if (ShopifySamples.ForTopic(delivery.Topic) is { } sample) body = sample;
        else return Results.Problem(statusCode: 400, detail: $"No sample payload for topic '{delivery.Topic}': pass payload.");

        // Shopify has the order whether or not the webhook reaches anyone: store it before delivering.
        if (EmulatorState.KindOfTopic(delivery.Topic) is { } kind) state.StoreOrder(delivery.ShopDomain, kind, ParseOrNull(body));

        var enumTopic = EmulatorState.ToEnumTopic(delivery.Topic);
        var subscription = delivery.TargetUrl is { } explicitTarget
            ? state.SubscriptionAt(explicitTarget, enumTopic, delivery.AccessToken, delivery.ShopDomain)
            : state.LatestFor(enumTopic, delivery.AccessToken);
        var target = delivery.TargetUrl ?? subscription?.CallbackUrl;

        var webhookId = delivery.WebhookId ?? Guid.NewGuid().ToString();
        // Shopify's retries of a delivery repeat its event id; so does a repeated webhook id here.
        var eventId = delivery.EventId ?? "evt-" + webhookId;

        if (!state.DeliveriesEnabled(delivery.ShopDomain))
        {
            // Held back: recorded, not sent, and no failure against the subscription.
            state.Record(new DeliveryRecord(webhookId, delivery.Topic, delivery.ShopDomain, target, null, DeliveriesOff, DateTimeOffset.UtcNow));
            return Results.Json(new DeliveryResult(null, webhookId, eventId, target, null, 0, DeliveriesOff));
        }
        if (target is null)
            return Results.Problem(statusCode: 404, detail: $"No targetUrl given and no subscription to {enumTopic}.");

        var bytes = Encoding.UTF8.GetBytes(body);
        var prefix = delivery.HeaderStyle == "events" ? "Shopify-" : "X-Shopify-";

        using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(bytes) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add(prefix + "Topic", delivery.Topic);
        message.Headers.Add(prefix + "Hmac-Sha256", WebhookSignatures.ShopifyHmac(bytes, delivery.Secret));
        message.Headers.Add(prefix + "Shop-Domain", delivery.ShopDomain);
        message.Headers.Add(prefix + "API-Version", delivery.ApiVersion ?? ApiVersion);
        message.Headers.Add(prefix + "Webhook-Id", webhookId);
        message.Headers.Add(prefix + "Event-Id", eventId);
        message.Headers.Add(prefix + "Triggered-At", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"));
        message.Headers.UserAgent.ParseAdd("Shopify-Captain-Hook");

        var watch = Stopwatch.StartNew();
        DeliveryResult result;
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(message, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            result = new DeliveryResult((int)response.StatusCode, webhookId, eventId, target, text.Length > 4000 ? text[..4000] : text, watch.ElapsedMilliseconds, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Shopify counts a refused connection or a timeout as a failed delivery, like any non-2xx.
            result = new DeliveryResult(null, webhookId, eventId, target, null, watch.ElapsedMilliseconds, e.GetType().Name + ": " + e.Message);
        }
        state.Record(new DeliveryRecord(webhookId, delivery.Topic, delivery.ShopDomain, target, result.Status, result.Error, DateTimeOffset.UtcNow));
        // A delivery to an address no subscription has counts for nothing.
        if (subscription is not null) state.CountDelivery(subscription, succeeded: result.Status is >= 200 and < 300);
        return Results.Json(result);
    }

    static JsonNode? ParseOrNull(string body)
    {
        try { return JsonNode.Parse(body); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}

/// <summary>
/// The /_emulator control endpoints: inspect subscriptions, inject Admin API faults, trigger deliveries, store orders,
/// set the cost limit and other settings, read call counts.
/// </summary>
public static class EmulatorControl
{
    public static void MapEmulatorControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_emulator");
        group.MapGet("/subscriptions", (EmulatorState state) => state.Subscriptions().Select(s => new
        {
            id = s.Gid,
            token = EmulatorState.Last4(s.AccessToken),
            topic = s.Topic,
            callbackUrl = s.CallbackUrl,
            format = s.Format,
            createdAt = s.CreatedAt,
        }));
        group.MapPost("/shops", (ShopRegistration shop, EmulatorState state) =>
        {
            if (string.IsNullOrWhiteSpace(shop.ShopDomain) || string.IsNullOrEmpty(shop.AccessToken))
                return Results.Problem(statusCode: 400, detail: "shopDomain and accessToken are required.");
            state.RegisterShop(shop.ShopDomain, shop.AccessToken);
            return Results.NoContent();
        });
        group.MapGet("/shops", (EmulatorState state) => state.Shops());
        group.MapPost("/faults", (Fault fault, EmulatorState state) =>
        {
            if (fault.Kind is not ("unauthorized" or "server_error" or "throttled" or "user_error"))
                return Results.Problem(statusCode: 400, detail: "kind must be unauthorized, server_error, throttled or user_error.");
            state.AddFault(fault);
            return Results.NoContent();
        });
        group.MapDelete("/faults", (EmulatorState state) =>
        {
            state.ClearFaults();
            return Results.NoContent();
        });
        group.MapPost("/deliveries", Deliveries.DeliverAsync);
        group.MapGet("/deliveries", (EmulatorState state) => state.Deliveries());
        group.MapGet("/samples/{name}", (string name) =>
            ShopifySamples.Named(name) is { } json ? Results.Text(json, "application/json") : Results.NotFound());
        group.MapGet("/subscriptions/removed", (EmulatorState state) => state.RemovedSubscriptions());
        group.MapPost("/shops/{shopDomain}/deliveries", (string shopDomain, DeliverySwitch body, EmulatorState state) =>
        {
            if (body.Enabled is not { } enabled) return Results.Problem(statusCode: 400, detail: "enabled (true or false) is required.");
            state.SetDeliveries(shopDomain, enabled);
            return Results.NoContent();
        });
        group.MapPost("/orders", (StoredOrder order, EmulatorState state) =>
        {
            if (string.IsNullOrWhiteSpace(order.ShopDomain) || order.Kind is not (EmulatorState.OrderKind or EmulatorState.DraftOrderKind))
                return Results.Problem(statusCode: 400, detail: "shopDomain is required and kind must be order or draft_order.");
            return state.StoreOrder(order.ShopDomain, order.Kind, order.Payload)
                ? Results.NoContent()
                : Results.Problem(statusCode: 400, detail: "payload must be a JSON object with a numeric id.");
        });
        group.MapGet("/orders", (string shopDomain, string? kind, EmulatorState state) =>
            state.Orders(shopDomain, kind ?? EmulatorState.OrderKind));
        group.MapPost("/throttle", (ThrottleSettings settings, EmulatorState state) =>
        {
            if (settings.MaximumAvailable is <= 0 || settings.RestoreRate is < 0)
                return Results.Problem(statusCode: 400, detail: "maximumAvailable must be positive and restoreRate not negative.");
            state.Throttle.Configure(settings.MaximumAvailable, settings.RestoreRate);
            return Results.NoContent();
        });
        group.MapPost("/settings", (JsonObject settings, EmulatorState state) =>
        {
            // Only the settings present change; deprecatedReason: null clears the header.
            if (settings.TryGetPropertyValue("removeSubscriptionAfterFailures", out var after))
            {
                if (after is not JsonValue n || !n.TryGetValue<int>(out var failures) || failures < 1)
                    return Results.Problem(statusCode: 400, detail: "removeSubscriptionAfterFailures must be a positive integer.");
                state.RemoveSubscriptionAfterFailures = failures;
            }
            if (settings.TryGetPropertyValue("deprecatedReason", out var reason))
            {
                var text = reason is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (reason is not null && (text is null || !text.All(char.IsAscii) || text.Any(char.IsControl)))
                    return Results.Problem(statusCode: 400, detail: "deprecatedReason must be printable ASCII text (it is sent as a header) or null.");
                state.DeprecatedReason = text;
            }
            return Results.NoContent();
        });
        group.MapGet("/settings", (EmulatorState state) => new
        {
            removeSubscriptionAfterFailures = state.RemoveSubscriptionAfterFailures,
            deprecatedReason = state.DeprecatedReason,
            maximumAvailable = state.Throttle.MaximumAvailable,
            restoreRate = state.Throttle.RestoreRate,
        });
        group.MapGet("/stats", (EmulatorState state) =>
        {
            var (adminCalls, throttled) = state.Stats();
            return new { adminCalls, throttled };
        });
        group.MapPost("/reset", (EmulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
    }
}

/// <summary>POST /_emulator/orders: an order (kind "order") or draft order ("draft_order") the shop has, stored without a delivery.</summary>
public sealed record StoredOrder(string ShopDomain, string Kind, JsonNode? Payload);

/// <summary>POST /_emulator/shops/{shopDomain}/deliveries: false holds the shop's webhook deliveries back, true sends them again.</summary>
public sealed record DeliverySwitch(bool? Enabled);

/// <summary>POST /_emulator/throttle: the cost limit for every access token (the one not given stays).</summary>
public sealed record ThrottleSettings(double? MaximumAvailable, double? RestoreRate);

/// <summary>Realistic webhook payloads (embedded Samples/*.json): messy phones, unicode names, custom line items, null customer.</summary>
public static partial class ShopifySamples
{
    public const string Order = "order";
    public const string OrderUpdated = "order_updated";
    public const string DraftOrder = "draft_order";

    public static string? ForTopic(string topic) => topic switch
    {
        "orders/create" => Named(Order),
        "orders/updated" => Named(OrderUpdated),
        "draft_orders/create" => Named(DraftOrder),
        _ => null,
    };

    /// <summary>
    /// The sample as an order placed now: its timestamps keep their time and offset, on the day after tomorrow (UTC), so the
    /// same all day and later than now at any offset. MorfX starts nothing for an order from before the shop was connected.
    /// </summary>
    public static string? Named(string name)
    {
        using var stream = typeof(ShopifySamples).Assembly.GetManifestResourceStream($"samples/{name}.json");
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var day = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return SampleDates().Replace(reader.ReadToEnd(), "${1}" + day);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(""(?:created_at|updated_at|processed_at)""\s*:\s*"")\d{4}-\d{2}-\d{2}")]
    private static partial System.Text.RegularExpressions.Regex SampleDates();

    /// <summary>A sample as a mutable JSON object, to change ids or fields before delivering it.</summary>
    public static JsonObject Parse(string name) =>
        JsonNode.Parse(Named(name) ?? throw new ArgumentException($"No sample '{name}'.", nameof(name)))!.AsObject();
}
