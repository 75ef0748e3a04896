namespace MorfX.ServiceDefaults;

/// <summary>How a background loop waits for its next pass: <c>while (await timer.WaitForNextTickAsync(ct).AsCancellable())</c>.</summary>
public static class PeriodicTimerExtensions
{
    /// <summary>False instead of an exception when the service is stopping.</summary>
    public static async ValueTask<bool> AsCancellable(this ValueTask<bool> tick)
    {
        try { return await tick; }
        catch (OperationCanceledException) { return false; }
    }
}
