namespace MorfX.Messaging.Outbox;

/// <summary>A message type an outbox carries, and how it is published (see <see cref="OutboxOptions{TContext}.Message{T}"/>).</summary>
internal sealed record OutboxMessageType(Type Type, bool First, Func<object, Guid?>? TraceKey, string Span);
