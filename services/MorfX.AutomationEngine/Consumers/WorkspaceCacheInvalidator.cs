using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>
/// Drops this instance's cached copy of what changed (<see cref="WorkspaceCache"/>), on a temporary queue of its own so every
/// instance hears every change. An IntegrationChanged is projected here too (idempotent, order-safe) before the entry is
/// dropped, so the next read cannot find the projection still without the change that the shared queue's consumer has not
/// written yet. A WorkspaceMessagingChanged likewise.
/// </summary>
public sealed class WorkspaceCacheInvalidator(EngineDbContext db, WorkspaceCache cache)
    : IConsumer<IntegrationChanged>, IConsumer<AutomationsChanged>, IConsumer<WorkspaceMessagingChanged>
{
    public async Task Consume(ConsumeContext<IntegrationChanged> context)
    {
        await IntegrationChangedConsumer.ProjectAsync(db, context.Message, context.CancellationToken);
        cache.InvalidateIntegrations(context.Message.WorkspaceId);
    }

    public async Task Consume(ConsumeContext<WorkspaceMessagingChanged> context)
    {
        await WorkspaceMessagingChangedConsumer.ProjectAsync(db, context.Message, context.CancellationToken);
        cache.InvalidateMessaging(context.Message.WorkspaceId);
    }

    public Task Consume(ConsumeContext<AutomationsChanged> context)
    {
        cache.InvalidateAutomations(context.Message.WorkspaceId);
        return Task.CompletedTask;
    }
}
