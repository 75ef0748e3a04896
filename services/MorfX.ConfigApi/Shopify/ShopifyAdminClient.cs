using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MorfX.ConfigApi.Apis;
using MorfX.ShopifyOrders;

namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// The few Shopify Admin GraphQL calls config-api makes: confirm which shop an access token belongs to, create and delete
/// the shop's webhook subscriptions (docs/protocols.md; ShopifySharp is not served). Authenticated with X-Shopify-Access-Token,
/// which is never logged. Calls https://{shop}/admin/api/{Shopify:ApiVersion}/graphql.json, or the same path under
/// Shopify:AdminBaseUrl when that is set (the local emulator), with the shop as the Host header, as Shopify serves each shop
/// on its own host. Every answer's cost (extensions.cost.throttleStatus) and X-Shopify-API-Deprecated-Reason are kept on the
/// answer; a THROTTLED answer waits as long as the shop's bucket needs to refill before it is retried.
/// </summary>
public sealed partial class ShopifyAdminClient(HttpClient http, IOptions<ShopifyAdminOptions> options, ILogger<ShopifyAdminClient> logger)
{

    /// <summary>The topics MorfX's Shopify triggers need, in GraphQL enum form.</summary>
    public static readonly IReadOnlyList<string> Topics = ["ORDERS_CREATE", "ORDERS_UPDATED", "DRAFT_ORDERS_CREATE"];

    static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500)];

    /// <summary>The longest a THROTTLED call waits for the bucket before it is retried.</summary>
    static readonly TimeSpan MaxThrottleWait = TimeSpan.FromSeconds(20);

    const string CreateMutation = """
        mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
          webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
            webhookSubscription { id topic }
            userErrors { field message }
          }
        }
        """;

    const string DeleteMutation = """
        mutation webhookSubscriptionDelete($id: ID!) {
          webhookSubscriptionDelete(id: $id) {
            deletedWebhookSubscriptionId
            userErrors { field message }
          }
        }
        """;

    const string ShopQuery = "query { shop { myshopifyDomain } }";

    const string ExistingQuery = """
        query webhookSubscriptions($topics: [WebhookSubscriptionTopic!]) {
          webhookSubscriptions(first: 50, topics: $topics) {
            nodes { id topic uri }
          }
        }
        """;

    // One page of orders (or draft orders) matching the search, oldest change first, with the shop's time zone.
    static readonly string OrdersQuery = PageQuery("orders", ShopifyGraphQlOrders.OrderFields);
    static readonly string DraftOrdersQuery = PageQuery("draftOrders", ShopifyGraphQlOrders.DraftOrderFields);

    static string PageQuery(string connection, string fields) => $$"""
        query {{connection}}($first: Int!, $after: String, $query: String) {
          shop { ianaTimezone }
          {{connection}}(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes { {{fields}} }
          }
        }
        {{ShopifyGraphQlOrders.AddressFragment}}
        """;

    /// <summary>Where Shopify delivers: webhook-ingest's public URL.</summary>
    public string CallbackUrl => options.Value.WebhookIngestBaseUrl + "/webhooks/shopify";

    /// <summary>Creates the subscriptions of every topic, in parallel; never throws for a Shopify failure.</summary>
    public async Task<IReadOnlyList<WebhookOutcome>> SubscribeAsync(string shopDomain, string accessToken, IEnumerable<string> topics, CancellationToken ct) =>
        await Task.WhenAll(topics.Select(topic => CreateAsync(shopDomain, accessToken, topic, ct)));

    /// <summary>Best effort: a subscription left behind only produces deliveries that webhook-ingest refuses.</summary>
    public async Task UnsubscribeAsync(string shopDomain, string accessToken, IEnumerable<string> subscriptionIds, CancellationToken ct)
    {
        await Task.WhenAll(subscriptionIds.Select(async id =>
        {
            var answer = await SendAsync(shopDomain, accessToken, DeleteMutation, new JsonObject { ["id"] = id }, ct);
            if (answer.Error is { } error) LogDeleteFailed(shopDomain, id, error.Code);
        }));
    }

    /// <summary>
    /// Null when Shopify says the token belongs to the shop (`shop { myshopifyDomain }` on the shop's own host); otherwise why
    /// not: 422 when Shopify refused the token or named another shop, 502 when it could not answer.
    /// </summary>
    public async Task<OwnershipRefusal?> ConfirmOwnershipAsync(string shopDomain, string accessToken, CancellationToken ct)
    {
        var (data, error, _, _) = await SendAsync(shopDomain, accessToken, ShopQuery, [], ct);
        if (error is { } e)
            return e.Code switch
            {
                "shopify_unauthorized" => new(ConfigProblems.ShopOwnershipNotConfirmed, Texts.ShopTokenNotRecognized(shopDomain)),
                "shopify_shop_not_found" or "shopify_shop_unavailable" => new(StatusCodes.Status422UnprocessableEntity, e.Code, e.Detail + Texts.NothingSaved),
                _ => new(StatusCodes.Status502BadGateway, e.Code, Texts.OwnershipNotConfirmed(shopDomain, e.Detail)),
            };
        var owner = data?["shop"]?["myshopifyDomain"]?.GetValue<string>();
        if (string.Equals(owner, shopDomain, StringComparison.OrdinalIgnoreCase)) return null;
        LogOtherShop(shopDomain);
        return new(ConfigProblems.ShopOwnershipNotConfirmed, Texts.TokenOfAnotherShop(shopDomain));
    }

    async Task<WebhookOutcome> CreateAsync(string shopDomain, string accessToken, string topic, CancellationToken ct)
    {
        var variables = new JsonObject
        {
            ["topic"] = topic,
            ["webhookSubscription"] = new JsonObject { ["uri"] = CallbackUrl, ["format"] = "JSON" },
        };
        var (data, error, _, _) = await SendAsync(shopDomain, accessToken, CreateMutation, variables, ct);
        if (error is { } e) return new WebhookOutcome(topic, null, e.Code, e.Detail);

        var payload = data?["webhookSubscriptionCreate"];
        if (payload?["userErrors"] is JsonArray { Count: > 0 } userErrors)
        {
            var message = userErrors[0]?["message"]?.GetValue<string>() ?? "";
            // Already subscribed (e.g. a save that failed after Shopify created it): adopt the existing subscription.
            if (message.Contains("already been taken", StringComparison.OrdinalIgnoreCase)
                && (await SubscribedTopicsAsync(shopDomain, accessToken, ct)).Subscribed?.GetValueOrDefault(topic) is { } existing)
                return new WebhookOutcome(topic, existing, null, null);
            LogUserError(shopDomain, topic, message);
            return new WebhookOutcome(topic, null, "shopify_webhook_rejected", Texts.WebhookRejected(topic, message));
        }
        if (payload?["webhookSubscription"]?["id"]?.GetValue<string>() is { Length: > 0 } id)
        {
            LogSubscribed(shopDomain, topic);
            return new WebhookOutcome(topic, id, null, null);
        }
        return new WebhookOutcome(topic, null, "shopify_error", Texts.WebhookNotCreated);
    }

    /// <summary>The shop's subscriptions to MorfX's topics that deliver to webhook-ingest, by topic; null when Shopify could not say.</summary>
    public async Task<(IReadOnlyDictionary<string, string>? Subscribed, AdminAnswer Answer)> SubscribedTopicsAsync(
        string shopDomain, string accessToken, CancellationToken ct)
    {
        var answer = await SendAsync(shopDomain, accessToken, ExistingQuery, new JsonObject { ["topics"] = new JsonArray([.. Topics.Select(t => (JsonNode)t)]) }, ct);
        if (answer.Error is not null || answer.Data?["webhookSubscriptions"]?["nodes"] is not JsonArray nodes) return (null, answer);
        var subscribed = new Dictionary<string, string>();
        foreach (var node in nodes)
            if (node?["uri"]?.GetValue<string>() == CallbackUrl && node["topic"]?.GetValue<string>() is { } topic && node["id"]?.GetValue<string>() is { } id)
                subscribed.TryAdd(topic, id);
        return (subscribed, answer);
    }

    /// <summary>One page of the shop's orders (or draft orders) matching the search, by updatedAt, oldest first.</summary>
    public async Task<(OrdersPage? Page, AdminAnswer Answer)> OrdersPageAsync(
        string shopDomain, string accessToken, bool drafts, string search, string? after, int first, CancellationToken ct)
    {
        var variables = new JsonObject { ["first"] = first, ["after"] = after, ["query"] = search };
        var answer = await SendAsync(shopDomain, accessToken, drafts ? DraftOrdersQuery : OrdersQuery, variables, ct);
        if (answer.Error is not null || answer.Data?[drafts ? "draftOrders" : "orders"] is not JsonObject connection) return (null, answer);
        var nodes = connection["nodes"] as JsonArray ?? [];
        var pageInfo = connection["pageInfo"];
        return (new OrdersPage(
            [.. nodes.OfType<JsonObject>()],
            pageInfo?["hasNextPage"]?.GetValue<bool>() == true ? pageInfo["endCursor"]?.GetValue<string>() : null,
            answer.Data?["shop"]?["ianaTimezone"]?.GetValue<string>()), answer);
    }

    /// <summary>
    /// One GraphQL call with retries on what Shopify says is temporary (429, 5xx, network; THROTTLED after the time the
    /// bucket needs to hold the call's cost again).
    /// </summary>
    async Task<AdminAnswer> SendAsync(string shopDomain, string accessToken, string query, JsonObject variables, CancellationToken ct)
    {
        var url = GraphQlUrl(shopDomain);
        for (var attempt = 0; ; attempt++)
        {
            var (answer, transient) = await SendOnceAsync(url, shopDomain, accessToken, query, variables, ct);
            if (answer.Error is null || !transient || attempt >= RetryDelays.Length) return answer;
            await Task.Delay(answer.Throttle?.WaitFor(answer.Throttle.RequestedCost) is { } wait && wait > TimeSpan.Zero
                ? TimeSpan.FromTicks(Math.Min(wait.Ticks, MaxThrottleWait.Ticks)) : RetryDelays[attempt], ct);
        }
    }

    async Task<(AdminAnswer Answer, bool Transient)> SendOnceAsync(
        Uri url, string shopDomain, string accessToken, string query, JsonObject variables, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables.DeepClone() }),
        };
        request.Headers.Add("X-Shopify-Access-Token", accessToken);
        if (url.Host != shopDomain) request.Headers.Host = shopDomain;
        AdminAnswer Failed(string code, string detail) => new(null, (code, detail));
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) LogHttpFailure(shopDomain, (int)response.StatusCode);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return (Failed("shopify_unauthorized", Texts.ShopifyUnauthorized), false);
                case HttpStatusCode.NotFound:
                    return (Failed("shopify_shop_not_found", Texts.ShopifyShopNotFound), false);
                case HttpStatusCode.PaymentRequired or HttpStatusCode.Locked:
                    return (Failed("shopify_shop_unavailable", Texts.ShopifyShopUnavailable), false);
                case HttpStatusCode.TooManyRequests:
                    return (Failed("shopify_throttled", Texts.ShopifyThrottled), true);
                case >= HttpStatusCode.InternalServerError:
                    return (Failed("shopify_unavailable", Texts.ShopifyUnavailable), true);
                case var status when !response.IsSuccessStatusCode:
                    return (Failed("shopify_error", Texts.ShopifyHttpError((int)status)), false);
            }

            var deprecated = response.Headers.TryGetValues("X-Shopify-API-Deprecated-Reason", out var reasons) ? string.Join("; ", reasons) : null;
            if (deprecated is not null) LogDeprecated(shopDomain, options.Value.ApiVersion, deprecated);
            var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);
            var throttle = ThrottleStatus.From(body?["extensions"]?["cost"]);
            if (body?["errors"] is JsonArray { Count: > 0 } errors)
            {
                var throttled = errors.Any(e => e?["extensions"]?["code"]?.GetValue<string>() == "THROTTLED");
                LogGraphQlErrors(shopDomain, throttled ? "THROTTLED" : errors[0]?["extensions"]?["code"]?.GetValue<string>() ?? "unknown");
                return throttled
                    ? (new(null, ("shopify_throttled", Texts.ShopifyThrottled), throttle, deprecated), true)
                    : (new(null, ("shopify_error", Texts.ShopifyRequestRefused(errors[0]?["message"]?.GetValue<string>())), throttle, deprecated), false);
            }
            return (new(body?["data"], null, throttle, deprecated), false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            LogUnreachable(shopDomain, e.GetType().Name);
            return (Failed("shopify_unreachable", Texts.ShopifyUnreachable), e is not System.Text.Json.JsonException);
        }
    }

    Uri GraphQlUrl(string shopDomain)
    {
        var baseUrl = options.Value.AdminBaseUrl is { } configured ? configured.ToString().TrimEnd('/') : $"https://{shopDomain}";
        return new Uri($"{baseUrl}/admin/api/{options.Value.ApiVersion}/graphql.json");
    }

    [LoggerMessage(4201, LogLevel.Information, "Subscribed shop {ShopDomain} to {Topic}")]
    partial void LogSubscribed(string shopDomain, string topic);

    [LoggerMessage(4202, LogLevel.Warning, "Shopify refused the {Topic} subscription for shop {ShopDomain}: {Message}")]
    partial void LogUserError(string shopDomain, string topic, string message);

    [LoggerMessage(4203, LogLevel.Warning, "Shopify Admin API answered HTTP {Status} for shop {ShopDomain}")]
    partial void LogHttpFailure(string shopDomain, int status);

    [LoggerMessage(4204, LogLevel.Warning, "Shopify Admin API returned GraphQL errors ({ErrorCode}) for shop {ShopDomain}")]
    partial void LogGraphQlErrors(string shopDomain, string errorCode);

    [LoggerMessage(4205, LogLevel.Warning, "Shopify Admin API unreachable for shop {ShopDomain} ({Exception})")]
    partial void LogUnreachable(string shopDomain, string exception);

    [LoggerMessage(4207, LogLevel.Warning, "Shopify says the access token given for shop {ShopDomain} belongs to another shop")]
    partial void LogOtherShop(string shopDomain);

    [LoggerMessage(4208, LogLevel.Warning, "Shopify says Admin API {ApiVersion} calls for shop {ShopDomain} use something deprecated: {Reason}")]
    partial void LogDeprecated(string shopDomain, string apiVersion, string reason);

    [LoggerMessage(4206, LogLevel.Warning, "Could not delete webhook subscription {SubscriptionId} of shop {ShopDomain} ({ErrorCode})")]
    partial void LogDeleteFailed(string shopDomain, string subscriptionId, string errorCode);
}
