using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// Reconciles every connected shop at least once per Shopify:ReconcileInterval (docs/decisions/0027). Shops whose pass is
/// due are claimed in the database (their next pass moved one interval ahead, rows locked with SKIP LOCKED), so replicas
/// share the shops and no shop is read twice at once; at most Shopify:ReconcileConcurrency shops are read at a time per
/// replica. A shop whose token Shopify refused (needs_attention) or that was removed is not claimed. An idle replica looks
/// for due shops every few seconds, or at once when a save on it made one due (<see cref="Wake"/>).
/// </summary>
public sealed partial class ShopifyReconciler(
    IServiceScopeFactory scopes, IOptions<ShopifyAdminOptions> options, ILogger<ShopifyReconciler> logger) : BackgroundService
{
    /// <summary>How long an idle replica waits before it looks for due shops again (the interval, when shorter).</summary>
    static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A shop is due now (a save): look at once rather than at the next poll.</summary>
    public void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // already woken
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await ReconcileDueAsync(o, stoppingToken) > 0) continue;
            try { await _wake.WaitAsync(IdlePoll < o.ReconcileInterval ? IdlePoll : o.ReconcileInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass: claims the shops that are due and reconciles them; returns how many.</summary>
    async Task<int> ReconcileDueAsync(ShopifyAdminOptions o, CancellationToken stoppingToken)
    {
        using var pass = BackgroundPass.Start("shopify reconciliation");
        IReadOnlyList<Guid> due;
        try { due = await ClaimDueAsync(o.ReconcileConcurrency * 4, o.ReconcileInterval, stoppingToken); }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogClaimFailed(e);
            return 0;
        }
        if (due.Count == 0) return 0;
        pass.Working(due.Count);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.ReconcileConcurrency, CancellationToken = stoppingToken },
            async (workspaceId, ct) =>
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<ShopReconciliation>().RunAsync(workspaceId, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    LogShopFailed(e, workspaceId);
                }
            });
        return due.Count;
    }

    async Task<IReadOnlyList<Guid>> ClaimDueAsync(int count, TimeSpan interval, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfigDbContext>();
        return await db.Database.SqlQuery<Guid>($"""
            UPDATE shopify_integrations SET reconcile_due_at = now() + {interval}
            WHERE workspace_id IN (
                SELECT workspace_id FROM shopify_integrations
                WHERE reconcile_due_at <= now() AND status IN ({IntegrationStatuses.Active}, {IntegrationStatuses.Failing})
                ORDER BY reconcile_due_at LIMIT {count}
                FOR UPDATE SKIP LOCKED)
            RETURNING workspace_id AS "Value"
            """).ToListAsync(ct);
    }

    [LoggerMessage(4305, LogLevel.Warning, "Could not claim the Shopify shops due for reconciliation")]
    partial void LogClaimFailed(Exception exception);

    [LoggerMessage(4306, LogLevel.Error, "Reconciliation of the Shopify shop of workspace {WorkspaceId} failed; retried next pass")]
    partial void LogShopFailed(Exception exception, Guid workspaceId);
}
