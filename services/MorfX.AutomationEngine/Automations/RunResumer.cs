using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.AutomationEngine.Data;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Goes on with waiting runs once they are due (a wait's end, a send window's opening). Each poll takes a batch of due
/// waits with SKIP LOCKED (replicas share them), and resumes them, deletes them and writes what they send in one
/// transaction: a crash before the commit leaves them due, and the requests' ids (per event, automation and step) make a
/// second attempt send nothing twice. Idle, a poll is one index probe: waiting runs cost nothing until they are due.
/// </summary>
public sealed partial class RunResumer(IServiceScopeFactory scopes, IOptions<RunResumerOptions> options, ILogger<RunResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try { while (await ResumeDueAsync(stoppingToken) == options.Value.BatchSize) { } }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(e); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsCancellable());
    }

    /// <summary>Resumes one batch of due waits; returns how many.</summary>
    public async Task<int> ResumeDueAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("resume due runs");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EngineDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox<EngineDbContext>>();
        var runner = scope.ServiceProvider.GetRequiredService<AutomationRunner>();
        var count = 0;
        await outbox.SaveInTransactionAsync(async () =>
        {
            var due = await db.RunWaits.FromSql($"""
                SELECT * FROM run_waits WHERE resume_at <= now() ORDER BY resume_at LIMIT {options.Value.BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (due.Count > 0) pass.Working(due.Count);
            foreach (var wait in due)
            {
                db.RunWaits.Remove(wait);
                await runner.ResumeAsync(wait, ct);
            }
            count = due.Count;
        }, ct);
        await outbox.FlushAsync(ct);
        if (count > 0) LogResumed(count);
        return count;
    }

    [LoggerMessage(2701, LogLevel.Debug, "Resumed {Count} waiting runs")]
    partial void LogResumed(int count);

    [LoggerMessage(2702, LogLevel.Warning, "Resuming waiting runs failed; retried at the next poll")]
    partial void LogFailed(Exception exception);
}
