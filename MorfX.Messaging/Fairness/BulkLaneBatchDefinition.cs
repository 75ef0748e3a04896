using MassTransit;
using Microsoft.Extensions.Options;

namespace MorfX.Messaging.Fairness;

/// <summary>The lane's endpoint, as <see cref="BulkLaneDefinition{TConsumer, TMessage}"/>, where BulkConcurrency counts batches.</summary>
public sealed class BulkLaneBatchDefinition<TConsumer, TMessage> : ConsumerDefinition<BulkLaneBatchConsumer<TConsumer, TMessage>>
    where TConsumer : class, IConsumer<Batch<TMessage>>
    where TMessage : class
{
    readonly FairnessOptions _options;

    public BulkLaneBatchDefinition(IOptions<FairnessOptions> options, BulkLaneMap lanes)
    {
        _options = options.Value;
        Endpoint(e =>
        {
            e.Name = lanes.QueueOf(typeof(TMessage));
            e.ConfigureConsumeTopology = false;
            e.ConcurrentMessageLimit = FairBatching.Capacity(_options, _options.BulkConcurrency);
            e.PrefetchCount = FairBatching.Capacity(_options, _options.BulkConcurrency);
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<BulkLaneBatchConsumer<TConsumer, TMessage>> consumerConfigurator, IRegistrationContext context) =>
        FairBatching.Configure(consumerConfigurator, _options, _options.BulkConcurrency);
}
