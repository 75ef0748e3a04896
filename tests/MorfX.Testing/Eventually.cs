namespace MorfX.Testing;

/// <summary>Waits for an asynchronous outcome (a consumer ran, a row appeared) without fixed sleeps.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting: {because ?? "condition"}; last value: {value}");
            await Task.Delay(100);
            value = await probe();
        }
        return value;
    }
}
