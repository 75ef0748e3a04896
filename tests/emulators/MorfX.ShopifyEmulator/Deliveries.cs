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

public sealed record DeliveryResult(int? Status, string WebhookId, string EventId, string TargetUrl, string? ResponseBody, long ElapsedMs, string? Error);

/// <summary>Signs and posts webhook deliveries the way Shopify does (headers, HMAC of the raw body, 5 s limit).</summary>
public static class Deliveries
{
    public const string HttpClientName = "deliveries";
    public const string ApiVersion = "2025-07";
    public static readonly TimeSpan ShopifyTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> DeliverAsync(DeliveryRequest delivery, EmulatorState state, IHttpClientFactory clients, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(delivery.Topic) || string.IsNullOrWhiteSpace(delivery.ShopDomain) || string.IsNullOrEmpty(delivery.Secret))
            return Results.Problem(statusCode: 400, detail: "topic, shopDomain and secret are required.");

        var target = delivery.TargetUrl
            ?? state.LatestFor(EmulatorState.ToEnumTopic(delivery.Topic), delivery.AccessToken)?.CallbackUrl;
        if (target is null)
            return Results.Problem(statusCode: 404, detail: $"No targetUrl given and no subscription to {EmulatorState.ToEnumTopic(delivery.Topic)}.");

        string body;
        if (delivery.RawBody is not null) body = delivery.RawBody;
        else if (delivery.Payload is not null) body = delivery.Payload.ToJsonString();
        else if (ShopifySamples.ForTopic(delivery.Topic) is { } sample) body = sample;
        else return Results.Problem(statusCode: 400, detail: $"No sample payload for topic '{delivery.Topic}': pass payload.");

        var webhookId = delivery.WebhookId ?? Guid.NewGuid().ToString();
        // Shopify's retries of a delivery repeat its event id; so does a repeated webhook id here.
        var eventId = delivery.EventId ?? "evt-" + webhookId;
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
        return Results.Json(result);
    }
}

/// <summary>The /_emulator control endpoints: inspect subscriptions, inject Admin API faults, trigger deliveries.</summary>
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
        group.MapPost("/reset", (EmulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
    }
}

/// <summary>Realistic webhook payloads (embedded Samples/*.json): messy phones, unicode names, custom line items, null customer.</summary>
public static class ShopifySamples
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

    public static string? Named(string name)
    {
        using var stream = typeof(ShopifySamples).Assembly.GetManifestResourceStream($"samples/{name}.json");
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>A sample as a mutable JSON object, to change ids or fields before delivering it.</summary>
    public static JsonObject Parse(string name) =>
        JsonNode.Parse(Named(name) ?? throw new ArgumentException($"No sample '{name}'.", nameof(name)))!.AsObject();
}
