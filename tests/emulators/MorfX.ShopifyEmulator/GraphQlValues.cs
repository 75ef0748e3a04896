using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MorfX.ShopifyEmulator;

/// <summary>
/// Just enough GraphQL to read the arguments of a root field: finds `field(...)` in the selection set and reads its
/// argument values — variables (`$topic`), strings, numbers, booleans, null, enum literals, lists and input objects.
/// </summary>
public static class GraphQlValues
{
    /// <summary>The arguments of the root field `name`, or null when the query does not select it.</summary>
    public static Dictionary<string, JsonNode?>? ArgumentsOf(string query, string name, JsonObject variables)
    {
        // The operation header may repeat the field name (`mutation webhookSubscriptionCreate($topic: …)`): look after the first `{`.
        var body = query.IndexOf('{') is var start and >= 0 ? start : 0;
        var match = new Regex($@"\b{Regex.Escape(name)}\s*(\(|\{{)").Match(query, body);
        if (!match.Success) return null;
        var arguments = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (match.Groups[1].Value == "{") return arguments;

        var i = match.Index + match.Length;
        while (true)
        {
            SkipIgnored(query, ref i);
            if (i >= query.Length) throw new FormatException("Unterminated argument list.");
            if (query[i] == ')') return arguments;
            var argument = ReadName(query, ref i);
            SkipIgnored(query, ref i);
            Expect(query, ref i, ':');
            arguments[argument] = ReadValue(query, ref i, variables);
        }
    }

    /// <summary>A string (or enum literal) argument, or null.</summary>
    public static string? Text(Dictionary<string, JsonNode?> arguments, string name) =>
        arguments.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer argument, or null.</summary>
    public static int? Int(Dictionary<string, JsonNode?> arguments, string name) =>
        arguments.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<long>(out var n) ? (int)n
        : arguments.GetValueOrDefault(name) is JsonValue w && w.TryGetValue<int>(out var m) ? m : null;

    static JsonNode? ReadValue(string s, ref int i, JsonObject variables)
    {
        SkipIgnored(s, ref i);
        if (i >= s.Length) throw new FormatException("Value expected.");
        switch (s[i])
        {
            case '$':
                i++;
                var variable = ReadName(s, ref i);
                return variables.TryGetPropertyValue(variable, out var value) ? value?.DeepClone() : null;
            case '"':
                return JsonValue.Create(ReadString(s, ref i));
            case '[':
                i++;
                var list = new JsonArray();
                while (true)
                {
                    SkipIgnored(s, ref i);
                    if (i < s.Length && s[i] == ']') { i++; return list; }
                    list.Add(ReadValue(s, ref i, variables));
                }
            case '{':
                i++;
                var obj = new JsonObject();
                while (true)
                {
                    SkipIgnored(s, ref i);
                    if (i < s.Length && s[i] == '}') { i++; return obj; }
                    var field = ReadName(s, ref i);
                    SkipIgnored(s, ref i);
                    Expect(s, ref i, ':');
                    obj[field] = ReadValue(s, ref i, variables);
                }
            case var c when c == '-' || char.IsAsciiDigit(c):
                var begin = i++;
                while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '.' or 'e' or 'E' or '+' or '-')) i++;
                var number = s[begin..i];
                return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)
                    ? JsonValue.Create(whole)
                    : JsonValue.Create(double.Parse(number, CultureInfo.InvariantCulture));
            default:
                var word = ReadName(s, ref i);
                return word switch
                {
                    "true" => JsonValue.Create(true),
                    "false" => JsonValue.Create(false),
                    "null" => null,
                    _ => JsonValue.Create(word), // an enum literal such as ORDERS_CREATE or JSON
                };
        }
    }

    static string ReadString(string s, ref int i)
    {
        i++; // opening quote
        var text = new StringBuilder();
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
                text.Append(s[i] switch
                {
                    'n' => "\n",
                    't' => "\t",
                    'r' => "\r",
                    'u' when i + 4 < s.Length => ((char)Convert.ToInt32(s.Substring(i + 1, 4), 16)).ToString(),
                    var other => other.ToString(),
                });
                if (s[i] == 'u') i += 4;
            }
            else text.Append(s[i]);
            i++;
        }
        Expect(s, ref i, '"');
        return text.ToString();
    }

    static string ReadName(string s, ref int i)
    {
        var begin = i;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_')) i++;
        if (i == begin) throw new FormatException($"Name expected at {begin}.");
        return s[begin..i];
    }

    static void Expect(string s, ref int i, char c)
    {
        if (i >= s.Length || s[i] != c) throw new FormatException($"'{c}' expected at {i}.");
        i++;
    }

    // Whitespace, commas and # comments are insignificant in GraphQL.
    static void SkipIgnored(string s, ref int i)
    {
        while (i < s.Length)
        {
            if (char.IsWhiteSpace(s[i]) || s[i] == ',') i++;
            else if (s[i] == '#') { while (i < s.Length && s[i] != '\n') i++; }
            else break;
        }
    }
}
