namespace MorfX.TwilioEmulator;

/// <summary>
/// Twilio on a bad day for every account at once (the benchmark's chaos run): Percent of all creates, picked at random,
/// answer 429 (nothing created), 500 or a dropped connection (half of each before the message exists, half after: the
/// ambiguous case a client must resolve by looking the message up), or a 201 that comes SlowMs late, a quarter each.
/// </summary>
public sealed record CreateChaos(double Percent, int SlowMs)
{
    /// <summary>The scenario for one create, or null for a normal answer.</summary>
    public Scenario? Pick()
    {
        if (Random.Shared.NextDouble() * 100 >= Percent) return null;
        return Random.Shared.Next(8) switch
        {
            0 or 1 => Fault(Scenarios.ErrorBeforeCreate, 429),
            2 => Fault(Scenarios.ErrorBeforeCreate, 500),
            3 => Fault(Scenarios.ErrorAfterCreate, 500),
            4 => Fault(Scenarios.ResetBeforeCreate, 0),
            5 => Fault(Scenarios.ResetAfterCreate, 0),
            _ => new Scenario(Scenarios.Slow, SlowMs, 201, null, null, 0),
        };
    }

    static Scenario Fault(string kind, int status) => new(kind, 0, status, null, null, 0);
}
