using MassTransit;

namespace MorfX.Messaging.Fairness;

/// <summary>The consumer of a bulk lane: the message's own consumer, run from the lane's queue.</summary>
public sealed class BulkLaneConsumer<TConsumer, TMessage>(TConsumer inner) : IConsumer<TMessage>
    where TConsumer : class, IConsumer<TMessage>
    where TMessage : class
{
    public Task Consume(ConsumeContext<TMessage> context) => inner.Consume(context);
}
