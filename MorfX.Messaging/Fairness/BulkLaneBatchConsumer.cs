using MassTransit;

namespace MorfX.Messaging.Fairness;

/// <summary>The batch consumer of a bulk lane: the message's own batch consumer, run from the lane's queue.</summary>
public sealed class BulkLaneBatchConsumer<TConsumer, TMessage>(TConsumer inner) : IConsumer<Batch<TMessage>>
    where TConsumer : class, IConsumer<Batch<TMessage>>
    where TMessage : class
{
    public Task Consume(ConsumeContext<Batch<TMessage>> context) => inner.Consume(context);
}
