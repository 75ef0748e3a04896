namespace MorfX.AutomationEngine.Catalog;

public record CatalogAction(string Key, string Label, string Description, string Category, string CategoryLabel, string Color,
    string? RequiredIntegration, IReadOnlyList<FieldDefinition> Fields, Availability Availability);
