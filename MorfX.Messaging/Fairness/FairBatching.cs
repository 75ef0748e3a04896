using MassTransit;

namespace MorfX.Messaging.Fairness;

/// <summary>The batch options both lanes share.</summary>
static class FairBatching
{
    public static int Capacity(FairnessOptions options, int batches) => options.BatchMessageLimit * batches;

    public static void Configure<T>(IConsumerConfigurator<T> consumer, FairnessOptions options, int batches) where T : class =>
        consumer.Options<BatchOptions>(o => o
            .SetMessageLimit(options.BatchMessageLimit)
            .SetTimeLimit(options.BatchTimeLimit)
            .SetConcurrencyLimit(batches));
}
