namespace MorfX.SmsSender.Twilio;

/// <summary>The ambient cancellation of the Twilio call in progress on this async flow (the SDK cannot pass one).</summary>
public static class TwilioCall
{
    static readonly AsyncLocal<CancellationToken> Current = new();

    public static CancellationToken Cancellation => Current.Value;

    public static async Task<T> WithCancellation<T>(CancellationToken ct, Func<Task<T>> call)
    {
        var previous = Current.Value;
        Current.Value = ct;
        try { return await call(); }
        finally { Current.Value = previous; }
    }
}
