using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// The Admin API's `orders` and `draftOrders` connections over the shop's stored orders: `query` in Shopify's search
/// syntax (updated_at and created_at compared with &gt;, &gt;=, &lt;, &lt;= or :, values quoted with ' or " or bare, terms
/// separated by spaces or AND), `sortKey` ID (default), UPDATED_AT or CREATED_AT, `reverse`, and pages by `first`/`after`
/// or `last`/`before`. Timestamps compare as instants, whatever offset the REST payload carries.
/// </summary>
public static class OrderConnections
{
    public const int MaxPageSize = 250;
    static readonly string[] SortKeys = ["ID", "UPDATED_AT", "CREATED_AT"];

    // Where an order sits in the sort: the sort field's value (UTC ticks, or the id for ID), then the id to break ties.
    readonly record struct Position(long Value, long Id) : IComparable<Position>
    {
        public int CompareTo(Position other) => Value != other.Value ? Value.CompareTo(other.Value) : Id.CompareTo(other.Id);
    }

    sealed record Term(string Field, string Operator, DateTimeOffset Value);

    /// <summary>
    /// The page as a connection (nodes, edges with cursors, pageInfo) and how many nodes it holds (the actual cost is
    /// 2 + that), or a message for a GraphQL error when an argument is wrong.
    /// </summary>
    public static (JsonObject? Connection, int Returned, string? Error) Page(
        string field, Dictionary<string, JsonNode?> arguments, IReadOnlyList<JsonObject> stored, Func<JsonObject, JsonObject> toNode)
    {
        var first = GraphQlValues.Int(arguments, "first");
        var last = GraphQlValues.Int(arguments, "last");
        if (first is null && last is null) return (null, 0, "you must provide one of first or last");
        if ((first ?? last) is not (>= 1 and <= MaxPageSize))
            return (null, 0, $"Argument '{(first is null ? "last" : "first")}' on Field '{field}' must be between 1 and {MaxPageSize}.");

        var sortKey = GraphQlValues.Text(arguments, "sortKey") ?? "ID";
        if (!SortKeys.Contains(sortKey))
            return (null, 0, $"Argument 'sortKey' on Field '{field}' has an invalid value ({sortKey}). Expected one of {string.Join(", ", SortKeys)}.");
        var reverse = arguments.GetValueOrDefault("reverse") is JsonValue r && r.TryGetValue<bool>(out var flag) && flag;

        List<Term> terms;
        Position? after, before;
        try
        {
            terms = ParseSearch(GraphQlValues.Text(arguments, "query"));
            after = GraphQlValues.Text(arguments, "after") is { } a ? ReadCursor(a, sortKey) : null;
            before = GraphQlValues.Text(arguments, "before") is { } b ? ReadCursor(b, sortKey) : null;
        }
        catch (FormatException e)
        {
            return (null, 0, e.Message);
        }

        // Reverse order is the same positions compared the other way round.
        int Compare(Position x, Position y) => reverse ? y.CompareTo(x) : x.CompareTo(y);
        var sorted = stored
            .Where(o => terms.All(t => Matches(o, t)))
            .Select(o => (Order: o, Position: PositionOf(o, sortKey)))
            .Order(Comparer<(JsonObject Order, Position Position)>.Create((x, y) => Compare(x.Position, y.Position)))
            .ToList();
        var window = sorted
            .Where(o => after is not { } a || Compare(o.Position, a) > 0)
            .Where(o => before is not { } b || Compare(o.Position, b) < 0)
            .ToList();

        var page = first is { } count ? window.Take(count).ToList() : window.TakeLast(last!.Value).ToList();
        var hasNextPage = first is not null ? window.Count > page.Count : before is { } bb && sorted.Any(o => Compare(o.Position, bb) >= 0);
        var hasPreviousPage = last is not null && first is null ? window.Count > page.Count : after is { } aa && sorted.Any(o => Compare(o.Position, aa) <= 0);

        var cursors = page.Select(o => Cursor(o.Position, sortKey)).ToList();
        var connection = new JsonObject
        {
            ["nodes"] = new JsonArray([.. page.Select(o => (JsonNode)toNode(o.Order))]),
            ["edges"] = new JsonArray([.. page.Select((o, i) => (JsonNode)new JsonObject { ["cursor"] = cursors[i], ["node"] = toNode(o.Order) })]),
            ["pageInfo"] = new JsonObject
            {
                ["hasNextPage"] = hasNextPage,
                ["hasPreviousPage"] = hasPreviousPage,
                ["startCursor"] = cursors.Count > 0 ? cursors[0] : null,
                ["endCursor"] = cursors.Count > 0 ? cursors[^1] : null,
            },
        };
        return (connection, page.Count, null);
    }

    static Position PositionOf(JsonObject order, string sortKey)
    {
        var id = OrderNodes.Id(order) ?? 0;
        return sortKey switch
        {
            "UPDATED_AT" => new(Ticks(OrderNodes.Instant(order, "updated_at")), id),
            "CREATED_AT" => new(Ticks(OrderNodes.Instant(order, "created_at")), id),
            _ => new(id, id),
        };
    }

    // UTC ticks to the microsecond, what a cursor can carry ("2026-11-20 15:15:34.000000"); a missing timestamp sorts first.
    static long Ticks(DateTimeOffset? instant) => instant is { } i ? i.UtcTicks - i.UtcTicks % 10 : 0;

    /// <summary>
    /// Shopify's cursors are base64 of the last row's sort position, e.g. {"last_id":5734120816721,"last_value":"2026-11-20
    /// 15:15:34.000000"}; so are these. They are opaque to clients and stay valid while the store is unchanged.
    /// </summary>
    static string Cursor(Position position, string sortKey)
    {
        JsonNode value = sortKey == "ID"
            ? JsonValue.Create(position.Value)
            : JsonValue.Create(new DateTime(position.Value, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
        var json = new JsonObject { ["last_id"] = position.Id, ["last_value"] = value }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    static Position ReadCursor(string cursor, string sortKey)
    {
        try
        {
            var json = JsonNode.Parse(Convert.FromBase64String(cursor))!.AsObject();
            var id = json["last_id"]!.GetValue<long>();
            var value = json["last_value"]!;
            if (sortKey == "ID" && value.GetValueKind() == JsonValueKind.Number) return new(value.GetValue<long>(), id);
            if (sortKey != "ID" && value.GetValueKind() == JsonValueKind.String)
                return new(DateTime.ParseExact(value.GetValue<string>(), "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).Ticks, id);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
        }
        throw new FormatException($"Invalid cursor for the current sort key ({sortKey}): {cursor}");
    }

    static bool Matches(JsonObject order, Term term)
    {
        if (OrderNodes.Instant(order, term.Field) is not { } instant) return false;
        var c = instant.CompareTo(term.Value);
        return term.Operator switch
        {
            ">" => c > 0,
            ">=" => c >= 0,
            "<" => c < 0,
            "<=" => c <= 0,
            _ => c == 0,
        };
    }

    /// <summary>
    /// The terms of a search query such as <c>updated_at:&gt;'2026-12-07T12:00:00Z' AND created_at:&lt;=2026-12-08</c>.
    /// Anything else (other fields, OR, NOT, free text) is refused loudly rather than ignored, so a test cannot believe it
    /// filtered by something the emulator does not know. A value without an offset is taken as UTC.
    /// </summary>
    static List<Term> ParseSearch(string? query)
    {
        var terms = new List<Term>();
        foreach (var token in Tokens(query ?? ""))
        {
            if (token == "AND") continue;
            var colon = token.IndexOf(':');
            var field = colon > 0 ? token[..colon] : "";
            if (field is not ("updated_at" or "created_at"))
                throw new FormatException($"The emulator does not support the search term '{token}' (only updated_at and created_at, joined by AND).");
            var rest = token[(colon + 1)..];
            var op = rest.StartsWith(">=", StringComparison.Ordinal) ? ">="
                : rest.StartsWith("<=", StringComparison.Ordinal) ? "<="
                : rest.StartsWith('>') ? ">"
                : rest.StartsWith('<') ? "<"
                : "";
            var value = rest[op.Length..];
            if (value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0]) value = value[1..^1];
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                throw new FormatException($"The search term '{token}' has no readable timestamp.");
            terms.Add(new Term(field, op, instant));
        }
        return terms;
    }

    // Splits on whitespace outside quotes: updated_at:>'2026-12-07 12:00:00' stays one token.
    static IEnumerable<string> Tokens(string query)
    {
        var token = new StringBuilder();
        char? quote = null;
        foreach (var c in query)
        {
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (token.Length > 0) yield return token.ToString();
                token.Clear();
                continue;
            }
            if (c is '\'' or '"') quote = quote is null ? c : quote == c ? null : quote;
            token.Append(c);
        }
        if (token.Length > 0) yield return token.ToString();
    }
}
