using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>
/// Projects config-api's IntegrationChanged into integration_states: what the catalog, validation and execution
/// read, with the shop's time zone. Idempotent and order-safe: a change older than the stored one is ignored.
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

    /// <summary>
    /// Writes the change unless the stored one is newer; false when it was older. One statement: the shared queue's consumer
    /// and every instance's <see cref="WorkspaceCacheInvalidator"/> project the same change at once, and an insert and its
    /// copy meet on the key as an update instead of a failed insert and a retry (an error in the logs per new integration).
    /// </summary>
    public static async Task<bool> ProjectAsync(EngineDbContext db, IntegrationChanged m, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO integration_states AS s (workspace_id, integration, status, shop_domain, auto_sync_orders, iana_timezone, changed_at)
            VALUES ({m.WorkspaceId}, {m.Integration}, {m.Status}, {m.ShopDomain}, COALESCE({m.AutoSyncOrders}, true), {m.IanaTimezone},
                    {m.ChangedAt.ToUniversalTime()})
            ON CONFLICT (workspace_id, integration) DO UPDATE SET
                status = EXCLUDED.status,
                shop_domain = COALESCE(EXCLUDED.shop_domain, s.shop_domain),
                auto_sync_orders = COALESCE({m.AutoSyncOrders}, s.auto_sync_orders),
                -- Another shop keeps its own clock (unknown until read); the same shop keeps its zone unless told another.
                iana_timezone = CASE WHEN EXCLUDED.shop_domain IS DISTINCT FROM s.shop_domain AND EXCLUDED.shop_domain IS NOT NULL
                                     THEN EXCLUDED.iana_timezone ELSE COALESCE(EXCLUDED.iana_timezone, s.iana_timezone) END,
                changed_at = EXCLUDED.changed_at
            WHERE s.changed_at <= EXCLUDED.changed_at
            """, ct) > 0;

    [LoggerMessage(2201, LogLevel.Information, "Workspace {WorkspaceId} integration {Integration} is now {Status}")]
    partial void LogChanged(Guid workspaceId, string integration, string status);
}
