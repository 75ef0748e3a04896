using MassTransit;

namespace MorfX.Messaging.Outbox;

/// <summary>
/// The messages one service's outbox may hold (rows name their type, and only these are read back), and how each is published.
/// </summary>
public sealed class OutboxOptions<TContext>
{
    readonly Dictionary<string, OutboxMessageType> _types = [];

    /// <summary>
    /// A message type the outbox carries. <paramref name="first"/>: published before the others of its transaction (what a
    /// customer waits for). <paramref name="traceKey"/>: the key given to <see cref="Outbox{TContext}.TraceFrom"/> for the
    /// delivery whose trace this message continues (a batch consumer's per-message trace), published in a span named
    /// <paramref name="span"/>.
    /// </summary>
    public OutboxOptions<TContext> Message<T>(bool first = false, Func<T, Guid?>? traceKey = null, string? span = null) where T : class
    {
        Func<object, Guid?>? key = traceKey is null ? null : m => traceKey((T)m);
        _types[typeof(T).Name] = new OutboxMessageType(typeof(T), first, key, span ?? typeof(T).Name);
        return this;
    }

    /// <summary>How often the dispatcher marks published rows sent and looks for rows the immediate publish missed.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows younger than this are still being published by the request or consumer that wrote them.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the publish right after a commit may wait for the broker's confirm before leaving it to the dispatcher.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Leftover rows published per dispatcher transaction.</summary>
    public int BatchSize { get; set; } = 100;

    internal OutboxMessageType TypeOf(string name) =>
        _types.TryGetValue(name, out var type) ? type
        : throw new InvalidOperationException($"The outbox of {typeof(TContext).Name} does not carry {name}.");

    /// <summary>The type names this version reads: a row of another (written by a newer version) is left for an instance that can.</summary>
    internal string[] TypeNames => [.. _types.Keys];
}
