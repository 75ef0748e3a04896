using System.Net.Http.Json;
using System.Text.Json;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

/// <summary>Reading answers the way the frontend does.</summary>
public static class Http
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJson(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"GET {path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    public static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static string Code(this JsonElement problem) => problem.Str("code") ?? "";

    /// <summary>The field errors of a problem as "field:code".</summary>
    public static List<string> FieldErrors(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? [.. errors.EnumerateArray().Select(e => $"{e.Str("field")}:{e.Str("code")}")]
            : [];

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string path, object body) => client.PutAsJsonAsync(path, body);
}
