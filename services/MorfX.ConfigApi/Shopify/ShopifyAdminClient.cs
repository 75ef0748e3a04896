using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// The few Shopify Admin GraphQL calls config-api makes: confirm which shop an access token belongs to, create and delete
/// the shop's webhook subscriptions (docs/protocols.md; ShopifySharp is not served). Authenticated with X-Shopify-Access-Token,
/// which is never logged. Calls https://{shop}/admin/api/2025-07/graphql.json, or
/// {Shopify:AdminBaseUrl}/admin/api/2025-07/graphql.json when that is set (the local emulator), with the shop as the Host
/// header, as Shopify serves each shop on its own host.
/// </summary>
public sealed partial class ShopifyAdminClient(HttpClient http, IOptions<ShopifyAdminOptions> options, ILogger<ShopifyAdminClient> logger)
{
    public const string ApiVersion = "2025-07";

    /// <summary>The topics MorfX's Shopify triggers need, in GraphQL enum form.</summary>
    public static readonly IReadOnlyList<string> Topics = ["ORDERS_CREATE", "ORDERS_UPDATED", "DRAFT_ORDERS_CREATE"];

    static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500)];

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
            nodes { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
          }
        }
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
            var (_, error) = await SendAsync(shopDomain, accessToken, DeleteMutation, new JsonObject { ["id"] = id }, ct);
            if (error is not null) LogDeleteFailed(shopDomain, id, error.Value.Code);
        }));
    }

    /// <summary>
    /// Null when Shopify says the token belongs to the shop (`shop { myshopifyDomain }` on the shop's own host); otherwise why
    /// not: 422 when Shopify refused the token or named another shop, 502 when it could not answer.
    /// </summary>
    public async Task<OwnershipRefusal?> ConfirmOwnershipAsync(string shopDomain, string accessToken, CancellationToken ct)
    {
        var (data, error) = await SendAsync(shopDomain, accessToken, ShopQuery, [], ct);
        if (error is { } e)
            return e.Code switch
            {
                "shopify_unauthorized" => new(StatusCodes.Status422UnprocessableEntity, "shop_ownership_not_confirmed",
                    Texts.ShopTokenNotRecognized(shopDomain)),
                "shopify_shop_not_found" or "shopify_shop_unavailable" => new(StatusCodes.Status422UnprocessableEntity, e.Code, e.Detail + Texts.NothingSaved),
                _ => new(StatusCodes.Status502BadGateway, e.Code, Texts.OwnershipNotConfirmed(shopDomain, e.Detail)),
            };
        var owner = data?["shop"]?["myshopifyDomain"]?.GetValue<string>();
        if (string.Equals(owner, shopDomain, StringComparison.OrdinalIgnoreCase)) return null;
        LogOtherShop(shopDomain);
        return new(StatusCodes.Status422UnprocessableEntity, "shop_ownership_not_confirmed",
            Texts.TokenOfAnotherShop(shopDomain));
    }

    async Task<WebhookOutcome> CreateAsync(string shopDomain, string accessToken, string topic, CancellationToken ct)
    {
        var variables = new JsonObject
        {
            ["topic"] = topic,
            ["webhookSubscription"] = new JsonObject { ["callbackUrl"] = CallbackUrl, ["format"] = "JSON" },
        };
        var (data, error) = await SendAsync(shopDomain, accessToken, CreateMutation, variables, ct);
        if (error is { } e) return new WebhookOutcome(topic, null, e.Code, e.Detail);

        var payload = data?["webhookSubscriptionCreate"];
        if (payload?["userErrors"] is JsonArray { Count: > 0 } userErrors)
        {
            var message = userErrors[0]?["message"]?.GetValue<string>() ?? "";
            // Already subscribed (e.g. a save that failed after Shopify created it): adopt the existing subscription.
            if (message.Contains("already been taken", StringComparison.OrdinalIgnoreCase)
                && await FindExistingAsync(shopDomain, accessToken, topic, ct) is { } existing)
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

    async Task<string?> FindExistingAsync(string shopDomain, string accessToken, string topic, CancellationToken ct)
    {
        var (data, error) = await SendAsync(shopDomain, accessToken, ExistingQuery, new JsonObject { ["topics"] = new JsonArray(topic) }, ct);
        if (error is not null || data?["webhookSubscriptions"]?["nodes"] is not JsonArray nodes) return null;
        return nodes.FirstOrDefault(n =>
                n?["topic"]?.GetValue<string>() == topic && n?["endpoint"]?["callbackUrl"]?.GetValue<string>() == CallbackUrl)
            ?["id"]?.GetValue<string>();
    }

    /// <summary>One GraphQL call with retries on what Shopify says is temporary (429, THROTTLED, 5xx, network).</summary>
    async Task<(JsonNode? Data, (string Code, string Detail)? Error)> SendAsync(
        string shopDomain, string accessToken, string query, JsonObject variables, CancellationToken ct)
    {
        var url = GraphQlUrl(shopDomain);
        for (var attempt = 0; ; attempt++)
        {
            var (data, error, transient) = await SendOnceAsync(url, shopDomain, accessToken, query, variables, ct);
            if (error is null || !transient || attempt >= RetryDelays.Length) return (data, error);
            await Task.Delay(RetryDelays[attempt], ct);
        }
    }

    async Task<(JsonNode? Data, (string Code, string Detail)? Error, bool Transient)> SendOnceAsync(
        Uri url, string shopDomain, string accessToken, string query, JsonObject variables, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables.DeepClone() }),
        };
        request.Headers.Add("X-Shopify-Access-Token", accessToken);
        if (url.Host != shopDomain) request.Headers.Host = shopDomain;
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) LogHttpFailure(shopDomain, (int)response.StatusCode);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return (null, ("shopify_unauthorized", Texts.ShopifyUnauthorized), false);
                case HttpStatusCode.NotFound:
                    return (null, ("shopify_shop_not_found", Texts.ShopifyShopNotFound), false);
                case HttpStatusCode.PaymentRequired or HttpStatusCode.Locked:
                    return (null, ("shopify_shop_unavailable", Texts.ShopifyShopUnavailable), false);
                case HttpStatusCode.TooManyRequests:
                    return (null, ("shopify_throttled", Texts.ShopifyThrottled), true);
                case >= HttpStatusCode.InternalServerError:
                    return (null, ("shopify_unavailable", Texts.ShopifyUnavailable), true);
                case var status when !response.IsSuccessStatusCode:
                    return (null, ("shopify_error", Texts.ShopifyHttpError((int)status)), false);
            }

            var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);
            if (body?["errors"] is JsonArray { Count: > 0 } errors)
            {
                var throttled = errors.Any(e => e?["extensions"]?["code"]?.GetValue<string>() == "THROTTLED");
                LogGraphQlErrors(shopDomain, throttled ? "THROTTLED" : errors[0]?["extensions"]?["code"]?.GetValue<string>() ?? "unknown");
                return throttled
                    ? (null, ("shopify_throttled", Texts.ShopifyThrottled), true)
                    : (null, ("shopify_error", Texts.ShopifyRequestRefused(errors[0]?["message"]?.GetValue<string>())), false);
            }
            return (body?["data"], null, false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            LogUnreachable(shopDomain, e.GetType().Name);
            return (null, ("shopify_unreachable", Texts.ShopifyUnreachable), e is not System.Text.Json.JsonException);
        }
    }

    Uri GraphQlUrl(string shopDomain)
    {
        var baseUrl = options.Value.AdminBaseUrl is { } configured ? configured.ToString().TrimEnd('/') : $"https://{shopDomain}";
        return new Uri($"{baseUrl}/admin/api/{ApiVersion}/graphql.json");
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

    [LoggerMessage(4206, LogLevel.Warning, "Could not delete webhook subscription {SubscriptionId} of shop {ShopDomain} ({ErrorCode})")]
    partial void LogDeleteFailed(string shopDomain, string subscriptionId, string errorCode);
}
