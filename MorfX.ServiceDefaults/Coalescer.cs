using System.Threading.Channels;
using MassTransit;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Many small announcements, one broker message: a caller hands in its item and waits until the message that carries it is
/// published (<see cref="AddAsync"/>), so whoever acknowledges its own delivery after that still does so only after a confirmed
/// publish, as with a publish of its own. Items that arrive within <c>linger</c> of the first, or while the previous message
/// is still being confirmed, go together (at most <c>maxItems</c>); a failed publish fails every caller in it, whose deliveries
/// are then retried. At one item now and then the message carries one item, <c>linger</c> later than a publish of its own.
/// An item whose caller stopped waiting before its message was formed is left out: while the broker is down, what waits
/// is bounded by the callers' own timeouts, and a caller that took another way (an outbox) is not published twice.
/// </summary>
public sealed class Coalescer<T> : IAsyncDisposable
{
    readonly Coalescer<T, bool> _inner;

    /// <param name="publish">Publishes one message carrying the items; throws when the broker does not confirm it.</param>
    public Coalescer(Func<IReadOnlyList<T>, Task> publish, TimeSpan linger, int maxItems) =>
        _inner = new(async items =>
        {
            await publish(items);
            return new bool[items.Count];
        }, linger, maxItems);

    /// <summary>
    /// What the services use: items that arrive within 20 ms of each other, at most 200, published on <paramref name="bus"/> as
    /// one <typeparamref name="TMessage"/>; a publish the broker does not confirm within <paramref name="publishTimeout"/> fails.
    /// </summary>
    public static Coalescer<T> OnBus<TMessage>(IBus bus, Func<IReadOnlyList<T>, TMessage> message, TimeSpan publishTimeout)
        where TMessage : class =>
        new(async items =>
        {
            using var timeout = new CancellationTokenSource(publishTimeout);
            await bus.Publish(message(items), timeout.Token);
        }, TimeSpan.FromMilliseconds(20), maxItems: 200);

    /// <summary>
    /// Completes when the message carrying <paramref name="item"/> is published; throws what its publish threw. Once
    /// <paramref name="ct"/> is cancelled the item is left out of any message not formed yet.
    /// </summary>
    public Task AddAsync(T item, CancellationToken ct) => _inner.AddAsync(item, ct);

    /// <summary>Takes no more items; what was handed in is still published.</summary>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}

/// <summary>
/// The mechanism behind <see cref="Coalescer{T}"/>, for work that answers each item: items handed in while the previous batch
/// runs (or within <c>linger</c> of the first) are processed together, one batch at a time, and each caller gets its own
/// item's result. A batch that throws fails every caller in it.
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
