using System.Globalization;

namespace MorfX.AutomationEngine.Automations;

/// <summary>Whether every condition holds for the trigger's data ("changed to" also reads the previous copy of the order).</summary>
public static class ConditionEvaluator
{
    public static bool All(IEnumerable<Condition> conditions, IReadOnlyDictionary<string, string?> current, IReadOnlyDictionary<string, string?>? previous) =>
        conditions.All(c => Holds(c, current, previous));

    static bool Holds(Condition c, IReadOnlyDictionary<string, string?> current, IReadOnlyDictionary<string, string?>? previous)
    {
        var value = c.Field is null ? null : current.GetValueOrDefault(c.Field);
        return c.Operator switch
        {
            Operators.EqualsTo => Same(value, c.Value),
            Operators.Contains => value is not null && c.Value is not null && value.Contains(c.Value, StringComparison.OrdinalIgnoreCase),
            Operators.GreaterThan => Number(value) is { } a && Number(c.Value) is { } b && a > b,
            Operators.LessThan => Number(value) is { } x && Number(c.Value) is { } y && x < y,
            Operators.IsEmpty => string.IsNullOrWhiteSpace(value),
            // No previous copy (the order was never seen) counts as a change.
            Operators.ChangedTo => Same(value, c.Value) && !Same(previous?.GetValueOrDefault(c.Field!), c.Value),
            _ => false,
        };
    }

    static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    static decimal? Number(string? s) => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
}
