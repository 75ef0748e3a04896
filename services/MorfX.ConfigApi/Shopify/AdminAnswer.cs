using System.Text.Json.Nodes;

namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// One Admin API answer: its data, or why not (a stable code and a Spanish detail); the shop's rate-limit bucket after the
/// call; and Shopify's X-Shopify-API-Deprecated-Reason, when it sent one.
/// </summary>
public sealed record AdminAnswer(JsonNode? Data, (string Code, string Detail)? Error, ThrottleStatus? Throttle = null, string? DeprecatedReason = null);

/// <summary>
/// Shopify's cost-based throttling (extensions.cost): the bucket holds up to MaximumAvailable points, refills RestoreRate
/// points a second, and a call costs up to its requestedQueryCost.
/// </summary>
public sealed record ThrottleStatus(double RequestedCost, double MaximumAvailable, double CurrentlyAvailable, double RestoreRate)
{
    public static ThrottleStatus? From(JsonNode? cost)
    {
        if (cost?["throttleStatus"] is not JsonObject status) return null;
        double Number(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : 0;
        return new(Number(cost["requestedQueryCost"]), Number(status["maximumAvailable"]), Number(status["currentlyAvailable"]),
            Number(status["restoreRate"]));
    }

    /// <summary>How long until the bucket holds <paramref name="cost"/> points again (zero when it already does).</summary>
    public TimeSpan WaitFor(double cost) =>
        CurrentlyAvailable >= cost || RestoreRate <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((cost - CurrentlyAvailable) / RestoreRate);
}

/// <summary>A page of orders or draft orders (GraphQL nodes), the cursor of the next page (null on the last), and the shop's time zone.</summary>
public sealed record OrdersPage(IReadOnlyList<JsonObject> Nodes, string? NextCursor, string? IanaTimezone);
