using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Pricing;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Hands parked SmsRequested (see <see cref="SmsRequestDeferrals"/>) back to the queue once they are due: each is published
/// again with its deferral count, and its row deleted in the same transaction, which commits only after the broker
/// confirmed. A crash in between publishes it once more; the request id makes that harmless.
/// </summary>
public sealed partial class DeferredRequestReleaser(IServiceScopeFactory scopes, IOptions<DeferralOptions> options, ILogger<DeferredRequestReleaser> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try { while (await ReleaseDueAsync(stoppingToken) == options.Value.BatchSize) { } }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(e); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsCancellable());
    }

    /// <summary>Hands back one batch of due requests; returns how many.</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("release deferred SMS");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var due = await db.DeferredRequests.FromSql($"""
                DELETE FROM deferred_sms_requests
                WHERE request_id IN (
                    SELECT request_id FROM deferred_sms_requests WHERE due_at <= now()
                    ORDER BY due_at LIMIT {options.Value.BatchSize} FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(ct);
            if (due.Count > 0) pass.Working(due.Count);
            foreach (var row in due)
            {
                await publish.Publish(SmsRequestDeferrals.Read(row), c => c.Headers.Set(SmsRequestDeferrals.DeferralsHeader, row.Deferrals), ct);
                LogReleased(row.RequestId, row.Deferrals);
            }
            await transaction.CommitAsync(ct);
            return due.Count;
        });
    }

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "SMS {RequestId} handed back to the queue after deferral {Deferrals}")]
    partial void LogReleased(Guid requestId, int deferrals);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Handing back deferred SMS requests failed; retried at the next poll")]
    partial void LogFailed(Exception exception);
}
