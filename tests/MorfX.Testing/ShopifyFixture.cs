using System.Text.Json;
using System.Text.RegularExpressions;

namespace MorfX.Testing;

/// <summary>
/// One file of tests/fixtures/shopify: a webhook body exactly as Shopify (or a real store) sends it, the source it was
/// taken from, and what a merchant must see from it. The expectations are written by hand from the payload, not by
/// the code under test. See tests/fixtures/shopify/README.md for the sources.
/// </summary>
public sealed record ShopifyFixture(string File, string Source, string Topic, string ShopCountry, string PayloadText, JsonElement Expect)
{
    public static readonly string Folder = Path.Combine(TestInfrastructure.RepoRoot, "tests/fixtures/shopify");

    public static IEnumerable<ShopifyFixture> In(params string[] subfolders) =>
        subfolders.SelectMany(sub => Directory.GetFiles(Path.Combine(Folder, sub), "*.json").Order(StringComparer.Ordinal)).Select(Load);

    public static ShopifyFixture Load(string path)
    {
        // The payload's own bytes, untouched: the JSON reader keeps its raw text (ids beyond 2^53, escapes, spacing).
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var root = document.RootElement;
        return new ShopifyFixture(Path.GetRelativePath(Folder, path), root.GetProperty("source").GetString()!,
            root.GetProperty("topic").GetString()!, root.TryGetProperty("shopCountry", out var c) ? c.GetString()! : "CO",
            root.GetProperty("payload").GetRawText(), root.GetProperty("expect").Clone());
    }

    public string Trigger => Topic switch
    {
        "orders/create" => "shopify.order_created",
        "orders/updated" => "shopify.order_updated",
        _ => "shopify.draft_order_created",
    };

    public bool ExpectsSms => Expect.TryGetProperty("sms", out var sms) && sms.GetBoolean();

    public string? Expected(string name) =>
        Expect.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<string> ExpectedProducts =>
        Expect.TryGetProperty("products", out var p) && p.ValueKind == JsonValueKind.Array ? [.. p.EnumerateArray().Select(x => x.GetString()!)] : [];

    /// <summary>
    /// The fixture as if the order were placed after the shop was connected: the date of every <c>created_at</c>,
    /// <c>updated_at</c> and <c>processed_at</c> (and the expected <c>createdAt</c>) becomes the day after tomorrow's (later than now at any offset), time and offset
    /// kept, nothing else touched. MorfX starts nothing for an order from before the connection, and the vendors' examples
    /// are years old.
    /// </summary>
    public ShopifyFixture PlacedAfterConnection()
    {
        var later = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var expect = Regex.Replace(Expect.GetRawText(), @"(""createdAt""\s*:\s*"")\d{4}-\d{2}-\d{2}", "${1}" + later);
        using var document = JsonDocument.Parse(expect);
        return this with
        {
            PayloadText = Regex.Replace(PayloadText, @"(""(?:created_at|updated_at|processed_at)""\s*:\s*"")\d{4}-\d{2}-\d{2}", "${1}" + later),
            Expect = document.RootElement.Clone(),
        };
    }

    public override string ToString() => File;
}
