using Microsoft.EntityFrameworkCore;
using MorfX.Rules;
using MorfX.UsageApi.Data;

namespace MorfX.UsageApi.Queries;

/// <summary>
/// The usage dashboard's reads, always for one workspace and a [from, to) range of sent_at, served by
/// ix_sms_usage_workspace_id_sent_at. Shared by the API and the one-million-message benchmark, so the
/// benchmark measures exactly what users run. "Sent" excludes failed messages; a failed message has no cost.
/// </summary>
public sealed class SmsUsageQuery(UsageDbContext db)
{
    public const int RecentLimit = 50;

    IQueryable<SmsUsage> InRange(Guid workspaceId, DateTimeOffset from, DateTimeOffset to) =>
        db.Messages.AsNoTracking().Where(m => m.WorkspaceId == workspaceId && m.SentAt >= from && m.SentAt < to);

    public async Task<SmsUsageTotals> TotalsAsync(Guid workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var totals = await InRange(workspaceId, from.ToUniversalTime(), to.ToUniversalTime())
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Sent = g.Count(m => m.Status != SmsStatuses.Failed),
                Cost = g.Sum(m => m.Cost),
                Pending = g.Count(m => m.Cost == null && m.Status != SmsStatuses.Failed),
                PriceUnit = g.Max(m => m.PriceUnit),
            })
            // One group at most (none without messages): Single says so, where First without an order made EF warn at every start.
            .SingleOrDefaultAsync(ct);
        return totals is null
            ? new SmsUsageTotals(0, 0m, 0, null)
            : new SmsUsageTotals(totals.Sent, totals.Cost ?? 0m, totals.Pending, totals.PriceUnit);
    }

    public Task<List<SmsUsageMessage>> RecentAsync(Guid workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        InRange(workspaceId, from.ToUniversalTime(), to.ToUniversalTime())
            .OrderByDescending(m => m.SentAt).ThenByDescending(m => m.RequestId)
            .Take(RecentLimit)
            .Select(m => new SmsUsageMessage(m.RequestId, m.ToNumber, m.Body, m.Status, m.Segments, m.Cost, m.SentAt))
            .ToListAsync(ct);

    /// <summary>
    /// Count and cost per calendar day in <paramref name="ianaTimeZone"/>; days without traffic are absent
    /// (the caller fills them). PostgreSQL cuts the days, so the grouping follows the zone's DST rules.
    /// </summary>
    public Task<List<DailySmsUsage>> DailyAsync(
        Guid workspaceId, DateTimeOffset from, DateTimeOffset to, string ianaTimeZone, CancellationToken ct) =>
        db.Database.SqlQuery<DailySmsUsage>($"""
            SELECT (sent_at AT TIME ZONE {ianaTimeZone})::date AS "Day",
                   count(*)::int AS "Count",
                   COALESCE(sum(cost), 0) AS "Cost"
            FROM sms_usage
            WHERE workspace_id = {workspaceId} AND sent_at >= {from.ToUniversalTime()} AND sent_at < {to.ToUniversalTime()}
              AND status IS DISTINCT FROM 'failed'
            GROUP BY 1
            ORDER BY 1
            """).ToListAsync(ct);

    public async Task<List<AutomationSmsUsage>> ByAutomationAsync(Guid workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = await InRange(workspaceId, from.ToUniversalTime(), to.ToUniversalTime())
            .Where(m => m.Status != SmsStatuses.Failed)
            .GroupBy(m => m.AutomationId)
            .Select(g => new { AutomationId = g.Key, Count = g.Count(), Cost = g.Sum(m => m.Cost) ?? 0m })
            .OrderByDescending(a => a.Cost).ThenByDescending(a => a.Count).ThenBy(a => a.AutomationId)
            .ToListAsync(ct);
        return [.. rows.Select(r => new AutomationSmsUsage(r.AutomationId, r.Count, r.Cost))];
    }
}
