using MorfX.AutomationEngine.Limits;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// The catalog; Limits states every cap a workspace works within (see <see cref="EngineLimitsOptions"/>); AutomationFields describes
/// the automation's own settings beside its trigger and actions (purpose, sendWindow).
/// </summary>
public record CatalogResponse(
    IReadOnlyList<CatalogCategory> Categories, IReadOnlyList<CatalogTrigger> Triggers, IReadOnlyList<CatalogAction> Actions,
    IReadOnlyList<string> Operators, EngineLimitsOptions Limits, IReadOnlyList<AutomationSetting> AutomationFields);

/// <summary>One of an automation's own settings, in Spanish: its values (when it has a fixed set), default and an example.</summary>
public record AutomationSetting(string Key, string Label, string Description, IReadOnlyList<SettingValue>? Values, string? Default, string? Example);

public record SettingValue(string Value, string Label, string Description);
