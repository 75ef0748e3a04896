namespace MorfX.AutomationEngine.Catalog;

/// <summary>A group of triggers or actions in the wizard, with its colour.</summary>
public record CatalogCategory(string Key, string Label, string Color);

/// <summary>
/// A template variable a trigger offers (a Spanish dotted path) with a sample value for the preview.
/// A list variable (orden.productos) has Items: the fields of each element, usable inside {{#each}}.
/// </summary>
public record VariableDefinition(string Path, string Label, string? Sample, IReadOnlyList<VariableDefinition>? Items = null, IReadOnlyList<IReadOnlyDictionary<string, string?>>? SampleItems = null)
{
    public bool IsList => Items is not null;
}

public static class FieldTypes
{
    /// <summary>Text with {{variables}}.</summary>
    public const string Template = "template";
    /// <summary>An E.164 number, or a single {{variable}} that holds one.</summary>
    public const string Phone = "phone";
    /// <summary>Absolute http(s) URLs (or {{variables}}), as a JSON array.</summary>
    public const string UrlList = "url_list";
    public const string Number = "number";
}

/// <summary>One field of an action's configuration; MaxLength is checked on the template and on the rendered text.</summary>
public record FieldDefinition(string Key, string Label, string Type, bool Required, string? Example = null, int? MaxLength = null);

public record TriggerDefinition(
    string Key, string Label, string Description, CatalogCategory Category, string? RequiredIntegration,
    IReadOnlyList<VariableDefinition> Variables)
{
    public string Color => Category.Color;
}

public record ActionDefinition(
    string Key, string Label, string Description, CatalogCategory Category, string? RequiredIntegration,
    IReadOnlyList<FieldDefinition> Fields)
{
    public string Color => Category.Color;
}
