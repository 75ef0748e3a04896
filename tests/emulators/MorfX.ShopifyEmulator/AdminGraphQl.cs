using System.Text.Json;
using System.Text.Json.Nodes;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// POST /admin/api/{version}/graphql.json, authenticated with X-Shopify-Access-Token like the real Admin API.
/// Understands the root fields MorfX uses: webhookSubscriptionCreate, webhookSubscriptionDelete, webhookSubscriptions,
/// shop, orders and draftOrders; anything else gets a GraphQL error, as Shopify answers an unknown field. A token acts only
/// for the shop it was registered to (POST /_emulator/shops); any other token is answered 401. Calls are limited by query
/// cost, per token, like Shopify's (<see cref="CostThrottle"/>), and answers carry the cost in extensions.cost.
/// </summary>
public static class AdminGraphQl
{
    public const string AccessTokenHeader = "X-Shopify-Access-Token";
    public const string DeprecatedReasonHeader = "X-Shopify-API-Deprecated-Reason";
    public const string InvalidTokenMessage = "[API] Invalid API key or access token (unrecognized login or wrong password)";

    public static void MapAdminGraphQl(this IEndpointRouteBuilder app) =>
        app.MapPost("/admin/api/{version}/graphql.json", HandleAsync);

    static async Task<IResult> HandleAsync(HttpRequest request, EmulatorState state, ShopifyEmulatorOptions options)
    {
        // Shopify marks every answer of a deprecated API version (or one using deprecated fields) with this header.
        if (state.DeprecatedReason is { } reason) request.HttpContext.Response.Headers[DeprecatedReasonHeader] = reason;

        var token = request.Headers[AccessTokenHeader].ToString();
        if (string.IsNullOrEmpty(token)) return Unauthorized();

        JsonObject? body;
        try { body = await JsonNode.ParseAsync(request.Body) as JsonObject; }
        catch (JsonException) { body = null; }
        var query = body?["query"] is JsonValue queryValue && queryValue.TryGetValue<string>(out var text) ? text : null;
        var variables = body?["variables"] as JsonObject ?? [];

        if (state.TakeFault(token, query ?? "") is { } fault)
        {
            if (state.ShopOf(token) is { } faultedShop) state.CountAdminCall(faultedShop, throttled: fault.Kind == "throttled");
            switch (fault.Kind)
            {
                case "unauthorized": return Unauthorized();
                case "server_error": return Results.Json(new { errors = "Internal Server Error" }, statusCode: 500);
                case "throttled": return Throttled(RequestedCostOrZero(query, variables), state.Throttle.Available(token), state.Throttle);
                case "user_error": return Results.Json(new { data = new { webhookSubscriptionCreate = CreateFailed("Address is invalid") } });
            }
        }
        if (ShopOfCall(request, token, state, options) is not { } shop) return Unauthorized();

        if (query is null)
            return Results.Json(new { errors = new { query = "Required parameter missing or invalid" } }, statusCode: 400);

        try
        {
            var requested = RequestedCost(query, variables);
            if (requested == 0) return GraphQlError("The emulator does not implement the fields of this query.");
            var (taken, available) = state.Throttle.TryTake(token, requested);
            state.CountAdminCall(shop, throttled: !taken);
            if (!taken) return Throttled(requested, available, state.Throttle);

            var (data, actual, error) = Execute(query, variables, token, shop, request.RouteValues["version"]?.ToString(), state);
            // The requested cost was taken up front; what the call did not use goes back (all of it when it failed).
            available = state.Throttle.Refund(token, requested - actual);
            if (error is not null) return GraphQlError(error);
            return Results.Json(new JsonObject { ["data"] = data, ["extensions"] = Cost(requested, actual, available, state.Throttle) });
        }
        catch (FormatException e)
        {
            return GraphQlError($"Parse error: {e.Message}");
        }
    }

    /// <summary>The root fields the query selects, answered; the actual cost (see <see cref="RequestedCost"/>), or an error.</summary>
    static (JsonObject Data, int ActualCost, string? Error) Execute(string query, JsonObject variables, string token, string shop, string? version, EmulatorState state)
    {
        var data = new JsonObject();
        var cost = 0;
        if (GraphQlValues.ArgumentsOf(query, "webhookSubscriptionCreate", variables) is { } create)
        {
            data["webhookSubscriptionCreate"] = Create(create, token, state, version);
            cost++;
        }
        if (GraphQlValues.ArgumentsOf(query, "webhookSubscriptionDelete", variables) is { } delete)
        {
            data["webhookSubscriptionDelete"] = Delete(delete, token, state);
            cost++;
        }
        if (GraphQlValues.ArgumentsOf(query, "webhookSubscriptions", variables) is { } list)
        {
            if ((GraphQlValues.Int(list, "first") ?? GraphQlValues.Int(list, "last")) is not { } count)
                return (data, 0, "you must provide one of first or last");
            data["webhookSubscriptions"] = List(list, count, token, state, version);
            cost++;
        }
        if (GraphQlValues.ArgumentsOf(query, "shop", variables) is not null)
        {
            data["shop"] = new JsonObject
            {
                ["id"] = $"gid://shopify/Shop/{(uint)shop.GetHashCode()}", ["name"] = shop.Split('.')[0], ["myshopifyDomain"] = shop,
                // Every emulated shop keeps Colombian time, where most MorfX merchants are.
                ["ianaTimezone"] = "America/Bogota",
            };
            cost++;
        }
        foreach (var (field, kind, toNode) in OrderFields)
        {
            if (GraphQlValues.ArgumentsOf(query, field, variables) is not { } arguments) continue;
            var (connection, returned, error) = OrderConnections.Page(field, arguments, state.Orders(shop, kind), toNode);
            if (error is not null) return (data, 0, error);
            data[field] = connection;
            cost += 2 + returned;
        }
        return (data, cost, null);
    }

    static readonly (string Field, string Kind, Func<JsonObject, JsonObject> ToNode)[] OrderFields =
    [
        ("orders", EmulatorState.OrderKind, OrderNodes.Order),
        ("draftOrders", EmulatorState.DraftOrderKind, OrderNodes.DraftOrder),
    ];

    static readonly string[] OnePointFields = ["webhookSubscriptionCreate", "webhookSubscriptionDelete", "webhookSubscriptions", "shop"];

    /// <summary>
    /// The emulator's query cost, a simplification of Shopify's: `orders` and `draftOrders` cost 2 + the page size asked
    /// for (first or last) up front and 2 + the nodes returned in the end; every other root field costs 1. Zero: the query
    /// selects nothing the emulator knows.
    /// </summary>
    static int RequestedCost(string query, JsonObject variables)
    {
        var cost = OnePointFields.Count(field => GraphQlValues.ArgumentsOf(query, field, variables) is not null);
        foreach (var (field, _, _) in OrderFields)
            if (GraphQlValues.ArgumentsOf(query, field, variables) is { } arguments)
                cost += 2 + Math.Max(0, GraphQlValues.Int(arguments, "first") ?? GraphQlValues.Int(arguments, "last") ?? 0);
        return cost;
    }

    static int RequestedCostOrZero(string? query, JsonObject variables)
    {
        try { return query is null ? 0 : RequestedCost(query, variables); }
        catch (FormatException) { return 0; }
    }

    // Shopify's answer to a call costing more than the bucket holds: HTTP 200, a THROTTLED error, and the bucket's state.
    static IResult Throttled(int requested, double available, CostThrottle throttle) => Results.Json(new JsonObject
    {
        ["errors"] = new JsonArray(new JsonObject
        {
            ["message"] = "Throttled",
            ["extensions"] = new JsonObject { ["code"] = "THROTTLED", ["documentation"] = "https://shopify.dev/api/usage/rate-limits" },
        }),
        ["extensions"] = Cost(requested, null, available, throttle),
    });

    static JsonObject Cost(int requested, int? actual, double available, CostThrottle throttle) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = requested,
            ["actualQueryCost"] = actual,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = OneDecimalPlace(throttle.MaximumAvailable),
                ["currentlyAvailable"] = (int)Math.Floor(available),
                ["restoreRate"] = OneDecimalPlace(throttle.RestoreRate),
            },
        },
    };

    // Shopify writes these Floats as 2000.0 and 100.0. A double serializes as 2000; a decimal keeps its scale, and adding
    // 0.0m gives it at least one decimal place.
    static decimal OneDecimalPlace(double value) => (decimal)value + 0.0m;

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
        var topic = GraphQlValues.Text(arguments, "topic");
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
        var id = GraphQlValues.Text(arguments, "id") ?? "";
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
        var address = GraphQlValues.Text(arguments, "callbackUrl") ?? GraphQlValues.Text(arguments, "uri");
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

    static IResult Unauthorized() => Results.Json(new { errors = InvalidTokenMessage }, statusCode: 401);

    static IResult GraphQlError(string message) => Results.Json(new { errors = new[] { new { message } } });
}
