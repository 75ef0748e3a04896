using MassTransit;
using Microsoft.Extensions.Options;

namespace MorfX.Messaging.Fairness;

/// <summary>
/// A batch consumer's shared queue: <see cref="FairnessOptions.BatchConcurrency"/> batches at once, and prefetch and
/// concurrency enough to fill them (otherwise every batch would wait for its time limit).
/// </summary>
public sealed class FairBatchDefinition<TConsumer, TMessage> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer<Batch<TMessage>>
    where TMessage : class
{
    readonly FairnessOptions _options;

    public FairBatchDefinition(IOptions<FairnessOptions> options)
    {
        _options = options.Value;
        Endpoint(e =>
        {
            e.ConcurrentMessageLimit = FairBatching.Capacity(_options, _options.BatchConcurrency);
            e.PrefetchCount = FairBatching.Capacity(_options, _options.BatchConcurrency);
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        FairBatching.Configure(consumerConfigurator, _options, _options.BatchConcurrency);
}
