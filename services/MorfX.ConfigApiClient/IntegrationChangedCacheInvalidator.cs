using MassTransit;
using MorfX.Contracts;

namespace MorfX.ConfigApiClient;

/// <summary>Drops cached look-ups when a workspace's integration changes. One temporary queue per instance, so every instance hears it.</summary>
public sealed class IntegrationChangedCacheInvalidator(IntegrationLookup lookup) : IConsumer<IntegrationChanged>
{
    public Task Consume(ConsumeContext<IntegrationChanged> context)
    {
        lookup.Invalidate(context.Message);
        return Task.CompletedTask;
    }
}
