using System.Text.Json;
using MorfX.AutomationEngine.Data;

namespace MorfX.AutomationEngine.Automations;

public static class Operators
{
    public const string EqualsTo = "equals";
    public const string Contains = "contains";
    public const string GreaterThan = "greater_than";
    public const string LessThan = "less_than";
    public const string IsEmpty = "is_empty";
    public const string ChangedTo = "changed_to";

    public static readonly IReadOnlyList<string> All = [EqualsTo, Contains, GreaterThan, LessThan, IsEmpty, ChangedTo];
}

/// <summary>A condition on the trigger's data: field is a variable path ("orden.estado_pago").</summary>
public record Condition(string? Field, string? Operator, string? Value);

/// <summary>One action: its catalog key and its configuration (field key -> string, or array of strings for mediaUrls).</summary>
public record ActionStep(string? Type, Dictionary<string, JsonElement>? Config)
{
    public string? Text(string key) => Config is not null && Config.TryGetValue(key, out var v)
        ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
        : null;

    public IReadOnlyList<string> List(string key) => Config is not null && Config.TryGetValue(key, out var v)
        ? v.ValueKind switch
        {
            JsonValueKind.Array => [.. v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            JsonValueKind.String when v.GetString() is { Length: > 0 } s => [s],
            _ => [],
        }
        : [];
}

/// <summary>What the wizard (and the AI builder) sends to validate or save.</summary>
public record AutomationDraft(string? Name, string? Trigger, List<Condition>? Conditions, List<ActionStep>? Actions, bool? Enabled = null);

public record AutomationDto(
    Guid Id, string Name, string Trigger, IReadOnlyList<Condition> Conditions, IReadOnlyList<ActionStep> Actions,
    bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AutomationDto From(Automation a) => new(a.Id, a.Name, a.Trigger, AutomationJson.Conditions(a), AutomationJson.Actions(a), a.Enabled, a.CreatedAt, a.UpdatedAt);
}

public static class AutomationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static List<Condition> Conditions(Automation a) => JsonSerializer.Deserialize<List<Condition>>(a.Conditions, Options) ?? [];

    public static List<ActionStep> Actions(Automation a) => JsonSerializer.Deserialize<List<ActionStep>>(a.Actions, Options) ?? [];
}
