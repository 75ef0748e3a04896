namespace MorfX.SmsSender.Lifecycle;

/// <summary>
/// A named move of the lifecycle: the states it applies to and where each goes. SQL applies it to a row as
/// <c>state = ({To})[array_position({From}, state)]</c>, guarded by <c>state = ANY ({From})</c>.
/// </summary>
public sealed class SmsTransition
{
    public SmsTransition(string name, params (SmsState From, SmsState To)[] moves)
    {
        Name = name;
        Moves = moves.ToDictionary(m => m.From, m => m.To);
        From = [.. moves.Select(m => SmsLifecycle.Name(m.From))];
        To = [.. moves.Select(m => SmsLifecycle.Name(m.To))];
    }

    public string Name { get; }
    public IReadOnlyDictionary<SmsState, SmsState> Moves { get; }

    /// <summary>The states it applies to, as stored; <see cref="To"/> holds where each goes, at the same index.</summary>
    public string[] From { get; }
    public string[] To { get; }

    public SmsState Apply(SmsState state) =>
        Moves.TryGetValue(state, out var next) ? next : throw new InvalidOperationException($"{Name} does not apply to an SMS that is {state}");

    public override string ToString() => Name;
}
