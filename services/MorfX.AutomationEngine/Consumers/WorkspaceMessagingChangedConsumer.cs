using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Consumers;

/// <summary>
/// Projects config-api's WorkspaceMessagingChanged into workspace_messaging: the latest settings by ChangedAt. Idempotent
/// and order-safe: a redelivery writes the same row again, a change older than the stored one is ignored.
/// </summary>
public sealed partial class WorkspaceMessagingChangedConsumer(
    EngineDbContext db, WorkspaceCache cache, ILogger<WorkspaceMessagingChangedConsumer> logger) : IConsumer<WorkspaceMessagingChanged>
{
    public async Task Consume(ConsumeContext<WorkspaceMessagingChanged> context)
    {
        var m = context.Message;
        if (!await ProjectAsync(db, m, context.CancellationToken)) return;
        cache.InvalidateMessaging(m.WorkspaceId);
        LogChanged(m.WorkspaceId, m.MarketingWindow.Start, m.MarketingWindow.End, m.MarketingFrequencyCap?.MaxMessages, m.MarketingFrequencyCap?.PeriodDays);
    }

    /// <summary>
    /// Writes the settings unless the stored ones are newer; false when they were older. One statement, so the shared queue's
    /// consumer and every instance's <see cref="WorkspaceCacheInvalidator"/> may project the same change at once.
    /// </summary>
    public static async Task<bool> ProjectAsync(EngineDbContext db, WorkspaceMessagingChanged m, CancellationToken ct)
    {
        var (window, cap) = (m.MarketingWindow, m.MarketingFrequencyCap);
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO workspace_messaging AS s (workspace_id, marketing_window_start, marketing_window_end, marketing_window_days,
                                                  frequency_cap_max_messages, frequency_cap_period_days, changed_at)
            VALUES ({m.WorkspaceId}, {window.Start}, {window.End}, {window.Days.ToArray()}, {cap?.MaxMessages}, {cap?.PeriodDays},
                    {m.ChangedAt.ToUniversalTime()})
            ON CONFLICT (workspace_id) DO UPDATE SET
                marketing_window_start = EXCLUDED.marketing_window_start,
                marketing_window_end = EXCLUDED.marketing_window_end,
                marketing_window_days = EXCLUDED.marketing_window_days,
                frequency_cap_max_messages = EXCLUDED.frequency_cap_max_messages,
                frequency_cap_period_days = EXCLUDED.frequency_cap_period_days,
                changed_at = EXCLUDED.changed_at
            WHERE s.changed_at <= EXCLUDED.changed_at
            """, ct) > 0;
    }

    [LoggerMessage(2211, LogLevel.Information,
        "Workspace {WorkspaceId} marketing window is now {Start}-{End}, frequency cap {MaxMessages} in {PeriodDays} days")]
    partial void LogChanged(Guid workspaceId, string start, string end, int? maxMessages, int? periodDays);
}
