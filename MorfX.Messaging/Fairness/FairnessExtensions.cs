using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MorfX.Messaging.Fairness;

public static class FairnessExtensions
{
    /// <summary>The consumer, on its shared queue and on its message's bulk lane.</summary>
    public static void AddFairConsumer<TConsumer, TMessage>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        bus.AddConsumer<TConsumer>();
        bus.AddConsumer<BulkLaneConsumer<TConsumer, TMessage>, BulkLaneDefinition<TConsumer, TMessage>>();
    }

    /// <summary>
    /// A consumer of batches (<c>IConsumer&lt;Batch&lt;TMessage&gt;&gt;</c>), on its shared queue and on its message's bulk lane:
    /// up to <see cref="FairnessOptions.BatchMessageLimit"/> messages or <see cref="FairnessOptions.BatchTimeLimit"/> per batch,
    /// <see cref="FairnessOptions.BatchConcurrency"/> batches at once on the shared queue and <see cref="FairnessOptions.BulkConcurrency"/> on the lane.
    /// </summary>
    public static void AddFairBatchConsumer<TConsumer, TMessage>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer<Batch<TMessage>>
        where TMessage : class
    {
        bus.AddConsumer<TConsumer, FairBatchDefinition<TConsumer, TMessage>>();
        bus.AddConsumer<BulkLaneBatchConsumer<TConsumer, TMessage>, BulkLaneBatchDefinition<TConsumer, TMessage>>();
    }

    /// <summary>The lanes of the messages this service publishes or consumes fairly (MorfX.Contracts.BulkLanes).</summary>
    public static IServiceCollection AddBulkLanes(
        this IServiceCollection services, IReadOnlyDictionary<Type, string> queues, Func<object, Guid?> workspaceOf) =>
        services.AddSingleton(new BulkLaneMap(queues, workspaceOf));

    /// <summary>What publishers need: the options, the per-workspace budgets and <see cref="FairPublisher"/>.</summary>
    public static IServiceCollection AddFairPublishing(this IServiceCollection services)
    {
        services.AddOptions<FairnessOptions>().BindConfiguration(FairnessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<FairnessOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(BulkLaneMap.None);
        services.TryAddSingleton<WorkspaceBudgets>();
        services.TryAddSingleton<FairPublisher>();
        return services;
    }
}
