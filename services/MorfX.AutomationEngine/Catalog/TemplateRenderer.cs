using System.Text.RegularExpressions;
using HandlebarsDotNet;
using HandlebarsDotNet.IO;
using MorfX.AutomationEngine.Limits;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// The one renderer, used by the preview and by execution: Handlebars with HTML escaping off (SMS is plain
/// text); a missing value renders empty. Also finds the variables a template uses, so validation and the
/// preview can name the ones the trigger does not offer.
/// </summary>
public static partial class TemplateRenderer
{
    static readonly IHandlebars Handlebars = HandlebarsDotNet.Handlebars.Create(Configuration());

    static HandlebarsConfiguration Configuration()
    {
        var configuration = new HandlebarsConfiguration { NoEscape = true };
        configuration.FormatterProviders.Add(new TemplateListFormatter());
        return configuration;
    }

    /// <summary>{{orden.productos}} on its own prints the list as text ("2 x Camiseta, 1 x Gorra"), not its items' type names.</summary>
    sealed class TemplateListFormatter : IFormatter, IFormatterProvider
    {
        public void Format<T>(T value, in EncodedTextWriter writer) => writer.Write(value?.ToString() ?? "", encode: false);

        public bool TryCreateFormatter(Type type, out IFormatter formatter)
        {
            formatter = this;
            return type == typeof(TemplateList);
        }
    }

    [GeneratedRegex(@"\{\{\{?~?\s*(.*?)\s*~?\}?\}\}", RegexOptions.Singleline)]
    internal static partial Regex Mustache();

    /// <summary>
    /// Renders the template, trimmed (block helpers leave stray spaces), within the limits: the template is checked first
    /// (<see cref="TemplateBounds.Check"/>), and rendering stops as soon as the output or the time budget is exceeded, so
    /// neither memory nor CPU grows with what the data makes the template produce. Throws <see cref="TemplateException"/>.
    /// </summary>
    public static string Render(string template, IDictionary<string, object?> data, EngineLimitsOptions limits)
    {
        if (TemplateBounds.Check(template, limits) is { } refused) throw new TemplateException(refused.Code, refused.Detail);
        HandlebarsTemplate<TextWriter, object, object> compiled;
        try { compiled = Compiled(template); }
        catch (HandlebarsException e) { throw new TemplateException(e.Message); }
        // The time budget is the render's own: a template's first compile (bounded by its checked size) does not count.
        using var writer = new BoundedWriter(limits.RenderedMaxLength, limits.RenderTimeout);
        try
        {
            compiled(writer, data);
        }
        catch (HandlebarsException e)
        {
            throw new TemplateException(e.Message);
        }
        catch (Exception e) when (e.InnerException is TemplateException inner)
        {
            throw inner;
        }
        return writer.ToString().Trim();
    }

    // Compiling builds expression trees (milliseconds of CPU): an automation's template is compiled once, not per order.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HandlebarsTemplate<TextWriter, object, object>> Cache = new();
    const int CacheLimit = 2000;

    static HandlebarsTemplate<TextWriter, object, object> Compiled(string template)
    {
        if (Cache.TryGetValue(template, out var compiled)) return compiled;
        if (Cache.Count >= CacheLimit) Cache.Clear();
        return Cache.GetOrAdd(template, t =>
        {
            using var reader = new StringReader(t);
            return Handlebars.Compile(reader);
        });
    }

    /// <summary>Null when the template compiles, else the reason.</summary>
    public static string? SyntaxError(string template)
    {
        try
        {
            Compiled(template);
            return null;
        }
        catch (HandlebarsException e) { return e.Message; }
    }

    /// <summary>The variable paths the template uses that the trigger does not offer (also inside {{#each list}} blocks).</summary>
    public static IReadOnlyList<string> UnknownVariables(string template, TriggerDefinition trigger)
    {
        var known = trigger.Variables.ToDictionary(v => v.Path);
        var unknown = new List<string>();
        var scopes = new Stack<VariableDefinition?>(); // the list being iterated, or null for a non-list block
        foreach (Match m in Mustache().Matches(template))
        {
            var token = m.Groups[1].Value;
            if (token.Length == 0 || token[0] == '!' || token == "else" || token[0] == '@') continue;
            if (token[0] == '/') { if (scopes.Count > 0) scopes.Pop(); continue; }

            if (token[0] is '#' or '^')
            {
                var parts = token[1..].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var blockPath = parts.Length > 1 ? parts[1].Split(' ')[0] : "";
                var resolved = blockPath.Length == 0 || blockPath == "this" ? null : Resolve(blockPath, scopes, known);
                if (blockPath.Length > 0 && blockPath != "this" && resolved is null) unknown.Add(blockPath);
                scopes.Push(parts.Length > 0 && parts[0] == "each" && resolved is { IsList: true } ? resolved : null);
                continue;
            }

            var path = token.Split(' ', 2)[0];
            if (path.Length == 0 || path == "this" || path.StartsWith('@')) continue;
            if (Resolve(path, scopes, known) is null) unknown.Add(path);
        }
        return unknown.Distinct().ToList();
    }

    /// <summary>A path inside an {{#each}} names a field of the element ("sku", "this.sku"); "../x" climbs to the root.</summary>
    static VariableDefinition? Resolve(string path, Stack<VariableDefinition?> scopes, Dictionary<string, VariableDefinition> known)
    {
        var list = scopes.FirstOrDefault(s => s is not null);
        if (path.StartsWith("../"))
        {
            while (path.StartsWith("../")) path = path[3..];
            return known.GetValueOrDefault(path);
        }
        if (list is not null)
        {
            var field = path.StartsWith("this.") ? path[5..] : path;
            return list.Items!.FirstOrDefault(i => i.Path == field);
        }
        return known.GetValueOrDefault(path);
    }
}
