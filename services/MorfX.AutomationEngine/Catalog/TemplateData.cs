using System.Text.Json;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>The data templates render with: nested dictionaries keyed by the Spanish path segments, string leaves.</summary>
public static class TemplateData
{
    public static void Set(Dictionary<string, object?> data, string path, object? value)
    {
        var parts = path.Split('.');
        var node = data;
        foreach (var part in parts[..^1])
        {
            if (node.GetValueOrDefault(part) is not Dictionary<string, object?> child)
                node[part] = child = new Dictionary<string, object?>();
            node = child;
        }
        node[parts[^1]] = value;
    }

    /// <summary>Every leaf as "path" -> text: what conditions compare and what the last copy of a Shopify order keeps.</summary>
    public static Dictionary<string, string?> Flatten(Dictionary<string, object?> data)
    {
        var flat = new Dictionary<string, string?>();
        void Walk(string prefix, object? value)
        {
            if (value is Dictionary<string, object?> dict)
                foreach (var (k, v) in dict) Walk(prefix.Length == 0 ? k : prefix + "." + k, v);
            else flat[prefix] = value?.ToString();
        }
        Walk("", data);
        return flat;
    }

    /// <summary>Caller-given preview data (any JSON object) in the same shape.</summary>
    public static Dictionary<string, object?> FromJson(JsonElement json)
    {
        var data = new Dictionary<string, object?>();
        if (json.ValueKind != JsonValueKind.Object) return data;
        foreach (var p in json.EnumerateObject()) data[p.Name] = Convert(p.Value);
        return data;
    }

    /// <summary>The most elements any array in the JSON has (nested ones included): preview data is bounded before it is converted.</summary>
    public static int LongestList(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().Select(p => LongestList(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => Math.Max(json.GetArrayLength(), json.EnumerateArray().Select(LongestList).DefaultIfEmpty(0).Max()),
        _ => 0,
    };

    static object? Convert(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => FromJson(value),
        JsonValueKind.Array => new TemplateList(value.EnumerateArray().Select(e => (IDictionary<string, object?>)FromJson(e))),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
