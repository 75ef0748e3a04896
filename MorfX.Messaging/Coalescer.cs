using MassTransit;
using MorfX.Data;

namespace MorfX.Messaging;

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
    /// What the services use: a short linger and a bounded batch, published on <paramref name="bus"/> as one
    /// <typeparamref name="TMessage"/>; a publish the broker does not confirm within <paramref name="publishTimeout"/> fails.
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
