using System.Text.Json;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

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

/// <summary>What an automation's messages are: transactional (the default: order updates) or marketing (consent and a send window).</summary>
public static class Purposes
{
    public const string Transactional = "transactional";
    public const string Marketing = "marketing";

    public static readonly IReadOnlyList<string> All = [Transactional, Marketing];
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

/// <summary>
/// What the wizard (and the AI builder) sends to validate or save. Purpose: <see cref="Purposes"/> (transactional when
/// absent). SendWindow: when its SMS may leave, in the recipient's local time (a marketing automation without one keeps to
/// the workspace's marketing window).
/// </summary>
public record AutomationDraft(
    string? Name, string? Trigger, List<Condition>? Conditions, List<ActionStep>? Actions, bool? Enabled = null,
    string? Purpose = null, SendWindow? SendWindow = null);

public record AutomationDto(
    Guid Id, string Name, string Trigger, IReadOnlyList<Condition> Conditions, IReadOnlyList<ActionStep> Actions,
    bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Purpose, SendWindow? SendWindow)
{
    public static AutomationDto From(Automation a) =>
        new(a.Id, a.Name, a.Trigger, AutomationJson.Conditions(a), AutomationJson.Actions(a), a.Enabled, a.CreatedAt, a.UpdatedAt,
            a.Purpose, AutomationJson.SendWindow(a));
}

public static class AutomationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static List<Condition> Conditions(Automation a) => JsonSerializer.Deserialize<List<Condition>>(a.Conditions, Options) ?? [];

    public static List<ActionStep> Actions(Automation a) => JsonSerializer.Deserialize<List<ActionStep>>(a.Actions, Options) ?? [];

    public static SendWindow? SendWindow(Automation a) => a.SendWindow is null ? null : JsonSerializer.Deserialize<SendWindow>(a.SendWindow, Options);

    /// <summary>The draft as the automation it saves to: one place for create, update and the AI builder.</summary>
    public static void Apply(AutomationDraft draft, Automation a)
    {
        a.Name = draft.Name!.Trim();
        a.Trigger = draft.Trigger!;
        a.Conditions = Serialize(draft.Conditions ?? []);
        a.Actions = Serialize(draft.Actions!);
        a.Purpose = draft.Purpose ?? Purposes.Transactional;
        a.SendWindow = draft.SendWindow is null ? null : Serialize(draft.SendWindow);
    }
}
