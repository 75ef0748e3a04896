using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// docs/configuration.md is generated from the settings classes themselves: every class with a <c>Section</c> constant,
/// its keys (a property bound from another key names it in a <c>{Property}Key</c> constant), types, defaults, allowed
/// ranges and the summaries in its source. The test fails when the file says otherwise;
/// <c>MORFX_WRITE_DOCS=1 dotnet test tests/MorfX.UnitTests --filter ConfigurationReference</c> writes it again.
/// </summary>
public partial class ConfigurationReferenceTests
{
    static readonly (string Assembly, string Who)[] Owners =
    [
        ("MorfX.ServiceDefaults", "every service"),
        ("MorfX.Messaging", "every service"),
        ("MorfX.Data", "every service"),
        ("MorfX.ConfigApiClient", "webhook-ingest and sms-sender (config-api's look-ups)"),
        ("MorfX.WebhookIngest", "webhook-ingest"),
        ("MorfX.AutomationEngine", "automation-engine"),
        ("MorfX.SmsSender", "sms-sender"),
        ("MorfX.ConfigApi", "config-api"),
        ("MorfX.UsageApi", "usage-api"),
    ];

    static readonly string DocPath = Path.Combine(TestInfrastructure.RepoRoot, "docs/configuration.md");

    [Test]
    public void Configuration_reference_is_generated_from_the_settings_classes()
    {
        var generated = Generate();
        if (Environment.GetEnvironmentVariable("MORFX_WRITE_DOCS") == "1") File.WriteAllText(DocPath, generated);

        Assert.That(File.Exists(DocPath) ? File.ReadAllText(DocPath) : "", Is.EqualTo(generated),
            "docs/configuration.md is stale: MORFX_WRITE_DOCS=1 dotnet test tests/MorfX.UnitTests --filter ConfigurationReference");
    }

    [Test]
    public void Every_settings_class_is_named_options_and_has_a_section_of_its_own()
    {
        var classes = Owners.SelectMany(o => Assembly.Load(o.Assembly).GetTypes()).Where(t => SectionOf(t) is not null).ToList();

        Assert.That(classes.Where(t => !t.Name.EndsWith("Options", StringComparison.Ordinal)).Select(t => t.FullName), Is.Empty,
            "one suffix for settings classes: Options");
        Assert.That(classes.GroupBy(t => SectionOf(t)).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.Name))}"),
            Is.Empty, "one configuration section per settings class");
    }

    static string Generate()
    {
        var doc = new StringBuilder();
        doc.AppendLine("# Configuration reference");
        doc.AppendLine();
        doc.AppendLine("Generated from the settings classes by `ConfigurationReferenceTests` (tests/MorfX.UnitTests), which fails when this");
        doc.AppendLine("file is stale; `MORFX_WRITE_DOCS=1 dotnet test tests/MorfX.UnitTests --filter ConfigurationReference` writes it");
        doc.AppendLine("again. Defaults live in the code only. Set a key in `appsettings.json` as `Section:Key`, or in the environment as");
        doc.AppendLine("`Section__Key` (what the AppHost and the Kubernetes manifests do). Every service checks its settings when it starts");
        doc.AppendLine("and stops naming the key of a bad value.");
        foreach (var (assembly, who) in Owners)
        {
            foreach (var type in Assembly.Load(assembly).GetTypes().Where(t => SectionOf(t) is not null).OrderBy(t => SectionOf(t)).ThenBy(t => t.Name))
            {
                var source = SourceOf(type);
                doc.AppendLine();
                doc.AppendLine($"## {SectionOf(type)} ({who})");
                doc.AppendLine();
                doc.AppendLine($"`{type.Name}`, [{source}](../{source})");
                doc.AppendLine();
                doc.AppendLine("| key | type | default | allowed | what |");
                doc.AppendLine("|---|---|---|---|---|");
                var lines = File.ReadAllLines(Path.Combine(TestInfrastructure.RepoRoot, source));
                var defaults = Activator.CreateInstance(type)!;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
                    doc.AppendLine($"| `{KeyOf(type, property)}` | {TypeName(property.PropertyType)} | {Value(property.GetValue(defaults))} | {Allowed(property)} | {Summary(lines, property.Name)} |");
            }
        }
        return doc.ToString();
    }

    /// <summary>A class's section: its <c>Section</c> constant (<c>CacheSection</c> for the look-up cache).</summary>
    static string? SectionOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(f => f.IsLiteral && f.Name is "Section" or "CacheSection")?.GetRawConstantValue() as string;

    static string KeyOf(Type type, PropertyInfo property) =>
        type.GetField(property.Name + "Key", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
        ?? $"{SectionOf(type)}:{property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name}";

    /// <summary>The production sources, read once: each settings class is looked up in them by its declaration.</summary>
    static readonly Lazy<(string Path, string Text)[]> Sources = new(() =>
    [
        .. new[] { "services", "MorfX.ServiceDefaults", "MorfX.Data", "MorfX.Messaging" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(TestInfrastructure.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (f[(TestInfrastructure.RepoRoot.Length + 1)..], File.ReadAllText(f))),
    ]);

    static string SourceOf(Type type)
    {
        var declaration = new Regex($@"\b(class|record)\s+{type.Name}\b");
        return Sources.Value.Single(f => declaration.IsMatch(f.Text)).Path;
    }

    static string TypeName(Type type) => Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner)
        : type == typeof(int) ? "int" : type == typeof(double) ? "number" : type == typeof(bool) ? "bool" : type == typeof(string) ? "string"
        : type == typeof(TimeSpan) ? "duration (`d.hh:mm:ss`)" : type == typeof(Uri) ? "URL"
        : type.IsEnum ? string.Join(" \\| ", Enum.GetNames(type))
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? $"map of {TypeName(type.GetGenericArguments()[1])}"
        : type.IsArray ? $"list of {TypeName(type.GetElementType()!)}" : type.Name;

    static string Value(object? value) => value switch
    {
        null => "",
        "" => "",
        TimeSpan t => $"`{t.ToString("c", CultureInfo.InvariantCulture)}`",
        bool b => b ? "`true`" : "`false`",
        IDictionary { Count: 0 } or ICollection { Count: 0 } => "",
        IDictionary d => string.Join(", ", d.Keys.Cast<object>().Select(k => $"`{k}`: {Value(d[k])}")),
        IEnumerable e and not string => string.Join(", ", e.Cast<object>().Select(Value)),
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"`{value}`",
    };

    static string Allowed(PropertyInfo property)
    {
        var parts = new List<string>();
        if (property.GetCustomAttribute<RequiredAttribute>() is not null) parts.Add("required");
        if (property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>() is { } range) parts.Add($"{range.Minimum} to {range.Maximum}");
        if (property.GetCustomAttribute<UrlAttribute>() is not null) parts.Add("a URL");
        return string.Join(", ", parts);
    }

    /// <summary>The <c>///</c> summary just above the property's declaration (attribute lines between are skipped), as one line.</summary>
    static string Summary(string[] lines, string property)
    {
        var declaration = new Regex($@"\bpublic\s[^=;(]*\b{property}\s*\{{");
        var at = Array.FindIndex(lines, l => declaration.IsMatch(l));
        var doc = new List<string>();
        for (var i = at - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("///", StringComparison.Ordinal)) doc.Insert(0, line[3..].Trim());
            else if (!line.StartsWith('[')) break;
        }
        var text = string.Join(" ", doc);
        text = SeeTag().Replace(text, m => $"`{m.Groups[1].Value.Split('.')[^1]}`");
        text = CodeTag().Replace(text, m => $"`{m.Groups[1].Value}`");
        return OtherTag().Replace(text, "").Replace("|", "\\|", StringComparison.Ordinal).Trim();
    }

    [GeneratedRegex(@"<see (?:cref|langword)=""([^""]+)""\s*/>")]
    private static partial Regex SeeTag();

    [GeneratedRegex(@"<c>(.*?)</c>")]
    private static partial Regex CodeTag();

    [GeneratedRegex(@"</?[a-z]+[^>]*>")]
    private static partial Regex OtherTag();
}
