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
    readonly Channel<(T Item, TaskCompletionSource Published, CancellationToken Waiting)> _items =
        Channel.CreateUnbounded<(T, TaskCompletionSource, CancellationToken)>(new UnboundedChannelOptions { SingleReader = true });
    readonly Func<IReadOnlyList<T>, Task> _publish;
    readonly TimeSpan _linger;
    readonly int _maxItems;
    readonly Task _loop;

    /// <param name="publish">Publishes one message carrying the items; throws when the broker does not confirm it.</param>
    public Coalescer(Func<IReadOnlyList<T>, Task> publish, TimeSpan linger, int maxItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        (_publish, _linger, _maxItems) = (publish, linger, maxItems);
        _loop = Task.Run(RunAsync);
    }

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
    public Task AddAsync(T item, CancellationToken ct)
    {
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_items.Writer.TryWrite((item, published, ct))) throw new ObjectDisposedException(nameof(Coalescer<T>));
        return published.Task.WaitAsync(ct);
    }

    async Task RunAsync()
    {
        var reader = _items.Reader;
        var batch = new List<(T Item, TaskCompletionSource Published, CancellationToken Waiting)>(_maxItems);
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
                            if (next.Waiting.IsCancellationRequested) next.Published.TrySetCanceled(next.Waiting);
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
                await _publish([.. batch.Select(b => b.Item)]);
                foreach (var (_, published, _) in batch) published.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, published, _) in batch) published.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>Takes no more items; what was handed in is still published.</summary>
    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        await _loop;
    }
}
