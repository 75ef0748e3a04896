using MassTransit;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>
/// Projects config-api's IntegrationChanged into integration_states: what the catalog, validation and execution
/// read. Idempotent and order-safe: a change older than the stored one is ignored.
/// </summary>
public sealed partial class IntegrationChangedConsumer(EngineDbContext db, WorkspaceCache cache, ILogger<IntegrationChangedConsumer> logger) : IConsumer<IntegrationChanged>
{
    public async Task Consume(ConsumeContext<IntegrationChanged> context)
    {
        var m = context.Message;
        if (!await ProjectAsync(db, m, context.CancellationToken)) return;
        cache.InvalidateIntegrations(m.WorkspaceId);
        LogChanged(m.WorkspaceId, m.Integration, m.Status);
    }

    /// <summary>Writes the change unless the stored one is newer; false when it was older.</summary>
    public static async Task<bool> ProjectAsync(EngineDbContext db, IntegrationChanged m, CancellationToken ct)
    {
        var state = await db.IntegrationStates.FindAsync([m.WorkspaceId, m.Integration], ct);
        if (state is not null && state.ChangedAt > m.ChangedAt) return false;
        if (state is null)
            db.IntegrationStates.Add(state = new IntegrationState { WorkspaceId = m.WorkspaceId, Integration = m.Integration, Status = m.Status });
        state.Status = m.Status;
        state.ShopDomain = m.ShopDomain ?? state.ShopDomain;
        state.AutoSyncOrders = m.AutoSyncOrders ?? state.AutoSyncOrders;
        state.ChangedAt = m.ChangedAt;
        // Two first changes for one workspace may race on the key: the loser's retry finds the row.
        await db.SaveChangesAsync(ct);
        return true;
    }

    [LoggerMessage(2201, LogLevel.Information, "Workspace {WorkspaceId} integration {Integration} is now {Status}")]
    partial void LogChanged(Guid workspaceId, string integration, string status);
}
