using MorfX.AutomationEngine.Limits;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>The catalog; Limits states every cap a workspace works within (see <see cref="EngineLimits"/>).</summary>
public record CatalogResponse(
    IReadOnlyList<CatalogCategory> Categories, IReadOnlyList<CatalogTrigger> Triggers, IReadOnlyList<CatalogAction> Actions,
    IReadOnlyList<string> Operators, EngineLimits Limits);
