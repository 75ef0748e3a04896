using MassTransit;
using Microsoft.Extensions.Options;

namespace MorfX.Messaging.Fairness;

/// <summary>
/// The lane's endpoint: the queue named in the service's <see cref="BulkLaneMap"/>, bound to nothing else (only the publisher's sends reach
/// it), with the same retry and outbox policy as every endpoint.
/// </summary>
public sealed class BulkLaneDefinition<TConsumer, TMessage> : ConsumerDefinition<BulkLaneConsumer<TConsumer, TMessage>>
    where TConsumer : class, IConsumer<TMessage>
    where TMessage : class
{
    public BulkLaneDefinition(IOptions<FairnessOptions> options, BulkLaneMap lanes)
    {
        Endpoint(e =>
        {
            e.Name = lanes.QueueOf(typeof(TMessage));
            e.ConfigureConsumeTopology = false;
            e.ConcurrentMessageLimit = options.Value.BulkConcurrency;
            e.PrefetchCount = options.Value.BulkConcurrency * 2;
        });
    }
}
