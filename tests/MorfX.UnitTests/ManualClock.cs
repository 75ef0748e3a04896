namespace MorfX.UnitTests;

/// <summary>A clock the test moves by hand: both the wall clock and the timestamp advance together.</summary>
public sealed class ManualClock : TimeProvider
{
    DateTimeOffset _now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now.UtcTicks;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>After each <see cref="Advance"/>: what a test keeps in step with the clock.</summary>
    public event Action? Advanced;

    public void Advance(TimeSpan by)
    {
        _now += by;
        Advanced?.Invoke();
    }
}
