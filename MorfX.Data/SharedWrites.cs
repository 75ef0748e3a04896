namespace MorfX.Data;

/// <summary>
/// Group commit for a hot write: what callers hand in while the previous statement runs (or within <c>linger</c> of the
/// first) is written by one set-based statement and one commit, and each caller gets its own item's result only once it is
/// committed, as with a write of its own. A shared statement that fails is written again one item at a time, so one item's
/// bad data (or a key another item took) fails only its own caller.
/// </summary>
public sealed class SharedWrites<T, TResult> : IAsyncDisposable
{
    readonly Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> _write;
    readonly Coalescer<T, TResult> _coalescer;

    /// <param name="write">Writes the items in one statement and one commit; returns one result per item, in their order.</param>
    public SharedWrites(Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> write, TimeSpan linger, int maxItems)
    {
        _write = write;
        _coalescer = new(async items =>
        {
            try { return await write(items); }
            catch (Exception e) when (items.Count > 1) { throw new SharedWriteFailedException(e); }
        }, linger, maxItems);
    }

    /// <summary>
    /// The item's result once its statement has committed. Once <paramref name="ct"/> is cancelled the item is left out of any
    /// statement not formed yet; one already running still commits it.
    /// </summary>
    public async Task<TResult> WriteAsync(T item, CancellationToken ct)
    {
        try { return await _coalescer.AddAsync(item, ct); }
        catch (SharedWriteFailedException) { return (await _write([item]))[0]; }
    }

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();

    sealed class SharedWriteFailedException(Exception inner) : Exception("A statement shared by several writes failed", inner);
}
