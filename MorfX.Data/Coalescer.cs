using System.Threading.Channels;

namespace MorfX.Data;

/// <summary>
/// Batches work that answers each item: items handed in while the previous batch runs (or within <c>linger</c> of the first)
/// are processed together, one batch at a time, and each caller gets its own item's result. A batch that throws fails every
/// caller in it. <see cref="SharedWrites{T, TResult}"/> and MorfX.Messaging's <c>Coalescer&lt;T&gt;</c> are built on it.
/// </summary>
public sealed class Coalescer<T, TResult> : IAsyncDisposable
{
    readonly Channel<(T Item, TaskCompletionSource<TResult> Done, CancellationToken Waiting)> _items =
        Channel.CreateUnbounded<(T, TaskCompletionSource<TResult>, CancellationToken)>(new UnboundedChannelOptions { SingleReader = true });
    readonly Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> _process;
    readonly TimeSpan _linger;
    readonly int _maxItems;
    readonly Task _loop;

    /// <param name="process">Processes a batch; returns one result per item, in the items' order.</param>
    public Coalescer(Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> process, TimeSpan linger, int maxItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        (_process, _linger, _maxItems) = (process, linger, maxItems);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// The result of <paramref name="item"/>, once its batch is processed; throws what the batch threw. Once
    /// <paramref name="ct"/> is cancelled the item is left out of any batch not formed yet.
    /// </summary>
    public Task<TResult> AddAsync(T item, CancellationToken ct)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_items.Writer.TryWrite((item, done, ct))) throw new ObjectDisposedException(nameof(Coalescer<T, TResult>));
        return done.Task.WaitAsync(ct);
    }

    async Task RunAsync()
    {
        var reader = _items.Reader;
        var batch = new List<(T Item, TaskCompletionSource<TResult> Done, CancellationToken Waiting)>(_maxItems);
        while (await reader.WaitToReadAsync())
        {
            using (var linger = new CancellationTokenSource(_linger))
            {
                try
                {
                    while (batch.Count < _maxItems)
                    {
                        while (batch.Count < _maxItems && reader.TryRead(out var next))
                        {
                            if (next.Waiting.IsCancellationRequested) next.Done.TrySetCanceled(next.Waiting);
                            else batch.Add(next);
                        }
                        if (batch.Count >= _maxItems || !await reader.WaitToReadAsync(linger.Token)) break;
                    }
                }
                catch (OperationCanceledException) when (linger.IsCancellationRequested) { }
            }
            if (batch.Count == 0) continue;
            try
            {
                var results = await _process([.. batch.Select(b => b.Item)]);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var (_, done, _) in batch) done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>Takes no more items; what was handed in is still processed.</summary>
    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        await _loop;
    }
}
