using MassTransit;

namespace MorfX.Messaging;

/// <summary>
/// A <see cref="Batch{T}"/> consumer's endpoint: up to <see cref="MessageLimit"/> messages, or what arrived within
/// <see cref="TimeLimit"/> of the first, <see cref="ConcurrencyLimit"/> batches at once, and a prefetch that fills them. A
/// quiet queue still answers within the time limit; a busy one pays one transaction per batch.
/// </summary>
public sealed class BatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int MessageLimit = 100, ConcurrencyLimit = 2;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    public BatchConsumerDefinition() => Endpoint(e =>
    {
        e.PrefetchCount = MessageLimit * ConcurrencyLimit;
        e.ConcurrentMessageLimit = MessageLimit * ConcurrencyLimit;
    });

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context) =>
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(ConcurrencyLimit));
}
