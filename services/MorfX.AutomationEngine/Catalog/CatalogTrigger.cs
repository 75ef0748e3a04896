namespace MorfX.AutomationEngine.Catalog;

public record CatalogTrigger(string Key, string Label, string Description, string Category, string CategoryLabel, string Color,
    string? RequiredIntegration, IReadOnlyList<VariableDefinition> Variables, Availability Availability);
