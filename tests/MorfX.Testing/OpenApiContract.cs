using System.Reflection;
using System.Text.Json.Nodes;
using MorfX.ServiceDefaults;
using NUnit.Framework;

namespace MorfX.Testing;

/// <summary>
/// A service's OpenAPI document as the frontend's client generator reads it. With MORFX_OPENAPI_OUT set, each document read is
/// also written there as {name}.json (tests/client-ts generates its TypeScript client from them).
/// </summary>
public static class OpenApiContract
{
    public static async Task<JsonNode> ReadAsync(RunningService service, string name)
    {
        using var client = service.CreateClient();
        var text = await client.GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("MORFX_OPENAPI_OUT") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".json"), text);
        }
        return JsonNode.Parse(text)!;
    }

    /// <summary>Every operation, by its operationId.</summary>
    public static Dictionary<string, JsonObject> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => op.Value!.AsObject()))
            .ToDictionary(op => (string)op["operationId"]!);

    /// <summary>The `code` values an operation documents for a status, in problem+json.</summary>
    public static List<string> Codes(JsonNode document, string operationId, int status) =>
        Operations(document)[operationId]["responses"]?[status.ToString()]?["content"]?["application/problem+json"]?["schema"]?["properties"]?["code"]?["enum"]
            ?.AsArray().Select(c => (string)c!).ToList() ?? [];

    /// <summary>
    /// Each operation documents a success and its problems in problem+json, and each problem of the service's catalog (its
    /// public static ProblemCode fields and arrays) is documented by at least one operation.
    /// </summary>
    public static void AssertComplete(JsonNode document, Type catalog)
    {
        var operations = Operations(document);
        Assert.That(operations, Is.Not.Empty);
        foreach (var (id, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            Assert.That(responses.Select(r => r.Key), Has.Some.StartsWith("2"), $"{id} documents no success");
            Assert.That(responses.Where(r => r.Key[0] is '4' or '5').Select(r => r.Value!["content"]?["application/problem+json"]),
                Has.None.Null.And.Not.Empty, $"{id}: every error answer is problem+json");
            Assert.That(operation["summary"], Is.Not.Null, $"{id} has no summary");
        }
        var documented = operations.Values.SelectMany(op => op["responses"]!.AsObject()
            .SelectMany(r => (r.Value!["content"]?["application/problem+json"]?["schema"]?["properties"]?["code"]?["enum"]?.AsArray() ?? [])
                .Select(c => new ProblemCode(int.Parse(r.Key), (string)c!)))).ToHashSet();
        Assert.That(Entries(catalog).Where(c => !documented.Contains(c)), Is.Empty, $"{catalog.Name}: problems no operation documents");
    }

    static IEnumerable<ProblemCode> Entries(Type catalog) =>
        catalog.GetFields(BindingFlags.Public | BindingFlags.Static).SelectMany(f => f.GetValue(null) switch
        {
            ProblemCode code => [code],
            ProblemCode[] codes => codes,
            _ => Array.Empty<ProblemCode>(),
        });
}
