using System.Text.Json;
using System.Text.Json.Nodes;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// POST /admin/api/{version}/graphql.json, authenticated with X-Shopify-Access-Token like the real Admin API.
/// Understands the root fields MorfX uses: webhookSubscriptionCreate, webhookSubscriptionDelete, webhookSubscriptions
/// and shop; anything else gets a GraphQL error, as Shopify answers an unknown field. A token acts only for the shop it was
/// registered to (POST /_emulator/shops); any other token is answered 401.
/// </summary>
public static class AdminGraphQl
{
    public const string AccessTokenHeader = "X-Shopify-Access-Token";
    public const string InvalidTokenMessage = "[API] Invalid API key or access token (unrecognized login or wrong password)";

    public static void MapAdminGraphQl(this IEndpointRouteBuilder app) =>
        app.MapPost("/admin/api/{version}/graphql.json", HandleAsync);

    static async Task<IResult> HandleAsync(HttpRequest request, EmulatorState state, ShopifyEmulatorOptions options)
    {
        var token = request.Headers[AccessTokenHeader].ToString();
        if (string.IsNullOrEmpty(token)) return Unauthorized();

        JsonObject? body;
        try { body = await JsonNode.ParseAsync(request.Body) as JsonObject; }
        catch (JsonException) { body = null; }
        var query = body?["query"] is JsonValue queryValue && queryValue.TryGetValue<string>(out var text) ? text : null;

        switch (state.TakeFault(token, query ?? "")?.Kind)
        {
            case "unauthorized": return Unauthorized();
            case "server_error": return Results.Json(new { errors = "Internal Server Error" }, statusCode: 500);
            case "throttled":
                return Results.Json(new { errors = new[] { new { message = "Throttled", extensions = new { code = "THROTTLED" } } } });
            case "user_error": return Results.Json(new { data = new { webhookSubscriptionCreate = CreateFailed("Address is invalid") } });
        }
        if (ShopOfCall(request, token, state, options) is not { } shop) return Unauthorized();

        if (query is null)
            return Results.Json(new { errors = new { query = "Required parameter missing or invalid" } }, statusCode: 400);
        var variables = body!["variables"] as JsonObject ?? [];

        try
        {
            var data = new JsonObject();
            if (GraphQlValues.ArgumentsOf(query, "webhookSubscriptionCreate", variables) is { } create)
                data["webhookSubscriptionCreate"] = Create(create, token, state, version: request.RouteValues["version"]?.ToString());
            if (GraphQlValues.ArgumentsOf(query, "webhookSubscriptionDelete", variables) is { } delete)
                data["webhookSubscriptionDelete"] = Delete(delete, token, state);
            if (GraphQlValues.ArgumentsOf(query, "webhookSubscriptions", variables) is { } list)
            {
                if ((Int(list, "first") ?? Int(list, "last")) is not { } count)
                    return GraphQlError("you must provide one of first or last");
                data["webhookSubscriptions"] = List(list, count, token, state, request.RouteValues["version"]?.ToString());
            }
            if (GraphQlValues.ArgumentsOf(query, "shop", variables) is not null)
                data["shop"] = new JsonObject
                {
                    ["id"] = $"gid://shopify/Shop/{(uint)shop.GetHashCode()}", ["name"] = shop.Split('.')[0], ["myshopifyDomain"] = shop,
                };
            if (data.Count == 0) return GraphQlError("The emulator does not implement the fields of this query.");
            return Results.Json(new JsonObject { ["data"] = data });
        }
        catch (FormatException e)
        {
            return GraphQlError($"Parse error: {e.Message}");
        }
    }

    /// <summary>
    /// The shop a call acts for: the one its token belongs to. Shopify serves each shop at https://{shop}/admin/…, so a call
    /// whose Host names another shop is refused like an unknown token. Demo mode (Emulator:AutoRegisterShops) gives an
    /// unknown token to the shop its Host names.
    /// </summary>
    static string? ShopOfCall(HttpRequest request, string token, EmulatorState state, ShopifyEmulatorOptions options)
    {
        var host = request.Host.Host.ToLowerInvariant();
        var named = host.EndsWith(".myshopify.com", StringComparison.Ordinal) ? host : null;
        var owned = state.ShopOf(token);
        if (owned is null && options.AutoRegisterShops && named is not null) state.RegisterShop(owned = named, token);
        return owned is not null && (named is null || named == owned) ? owned : null;
    }

    static JsonObject Create(Dictionary<string, JsonNode?> arguments, string token, EmulatorState state, string? version)
    {
        var topic = Text(arguments, "topic");
        var input = arguments.GetValueOrDefault("webhookSubscription") as JsonObject;
        var callbackUrl = input?["callbackUrl"]?.GetValue<string>() ?? input?["uri"]?.GetValue<string>();
        var format = input?["format"]?.GetValue<string>() ?? "JSON";
        if (string.IsNullOrEmpty(topic)) return CreateFailed("Topic can't be blank", "topic");
        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return CreateFailed("Address is invalid");

        var (created, error) = state.AddSubscription(token, topic, callbackUrl!, format);
        return created is null
            ? CreateFailed(error!)
            : new JsonObject { ["webhookSubscription"] = ToJson(created, version), ["userErrors"] = new JsonArray() };
    }

    static JsonObject Delete(Dictionary<string, JsonNode?> arguments, string token, EmulatorState state)
    {
        var id = Text(arguments, "id") ?? "";
        return state.RemoveSubscription(token, id)
            ? new JsonObject { ["deletedWebhookSubscriptionId"] = id, ["userErrors"] = new JsonArray() }
            : new JsonObject
            {
                ["deletedWebhookSubscriptionId"] = null,
                ["userErrors"] = new JsonArray(new JsonObject { ["field"] = new JsonArray("id"), ["message"] = "Webhook subscription does not exist" }),
            };
    }

    static JsonObject List(Dictionary<string, JsonNode?> arguments, int count, string token, EmulatorState state, string? version)
    {
        var topics = (arguments.GetValueOrDefault("topics") as JsonArray)?.Select(t => t?.GetValue<string>()).ToHashSet();
        var address = Text(arguments, "callbackUrl") ?? Text(arguments, "uri");
        var all = state.Subscriptions(token)
            .Where(s => topics is null || topics.Contains(s.Topic))
            .Where(s => address is null || s.CallbackUrl == address)
            .ToList();
        var page = arguments.ContainsKey("last") && !arguments.ContainsKey("first") ? all.TakeLast(count).ToList() : all.Take(count).ToList();
        var nodes = page.Select(s => (JsonNode)ToJson(s, version)).ToArray();
        return new JsonObject
        {
            ["edges"] = new JsonArray([.. page.Select(s => (JsonNode)new JsonObject { ["cursor"] = Cursor(s), ["node"] = ToJson(s, version) })]),
            ["nodes"] = new JsonArray(nodes),
            ["pageInfo"] = new JsonObject
            {
                ["hasNextPage"] = page.Count < all.Count,
                ["hasPreviousPage"] = false,
                ["startCursor"] = page.Count > 0 ? Cursor(page[0]) : null,
                ["endCursor"] = page.Count > 0 ? Cursor(page[^1]) : null,
            },
        };
    }

    // The subscription with every field a client may select (the emulator does not trim to the selection set).
    static JsonObject ToJson(Subscription s, string? version) => new()
    {
        ["id"] = s.Gid,
        ["legacyResourceId"] = s.Id.ToString(),
        ["topic"] = s.Topic,
        ["format"] = s.Format,
        ["uri"] = s.CallbackUrl,
        ["callbackUrl"] = s.CallbackUrl,
        ["endpoint"] = new JsonObject { ["__typename"] = "WebhookHttpEndpoint", ["callbackUrl"] = s.CallbackUrl },
        ["apiVersion"] = new JsonObject { ["handle"] = version ?? Deliveries.ApiVersion },
        ["includeFields"] = new JsonArray(),
        ["metafieldNamespaces"] = new JsonArray(),
        ["filter"] = "",
        ["createdAt"] = s.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["updatedAt"] = s.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    };

    static string Cursor(Subscription s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"last_id\":{s.Id}}}"));

    static JsonObject CreateFailed(string message, string field = "callbackUrl") => new()
    {
        ["webhookSubscription"] = null,
        ["userErrors"] = new JsonArray(new JsonObject
        {
            ["field"] = field == "topic" ? new JsonArray("topic") : new JsonArray("webhookSubscription", field),
            ["message"] = message,
        }),
    };

    static string? Text(Dictionary<string, JsonNode?> arguments, string name) =>
        arguments.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static int? Int(Dictionary<string, JsonNode?> arguments, string name) =>
        arguments.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<long>(out var n) ? (int)n
        : arguments.GetValueOrDefault(name) is JsonValue w && w.TryGetValue<int>(out var m) ? m : null;

    static IResult Unauthorized() => Results.Json(new { errors = InvalidTokenMessage }, statusCode: 401);

    static IResult GraphQlError(string message) => Results.Json(new { errors = new[] { new { message } } });
}
