using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;

namespace MorfX.Data;

/// <summary>
/// Deletes what a service's tables no longer need (<see cref="RetentionRule"/>), in the background, every
/// Retention:Interval. Each DELETE takes at most Retention:BatchSize of the oldest rows, walked on the age column's index,
/// and skips rows another transaction holds (FOR UPDATE SKIP LOCKED), so the hot path never waits behind it and no lock
/// is held for long. Several instances may run it at once.
/// </summary>
public sealed partial class RetentionWorker<TContext>(
    IServiceScopeFactory scopes, IOptions<RetentionOptions> options, IReadOnlyList<RetentionRule> rules, ILogger<RetentionWorker<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    public IReadOnlyList<RetentionRule> Rules => rules;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try { await PurgeAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(e); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsCancellable());
    }

    /// <summary>One pass over every table; returns the rows deleted per table. A pass that deleted nothing is no trace.</summary>
    public async Task<Dictionary<string, int>> PurgeAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("retention");
        var deleted = new Dictionary<string, int>();
        foreach (var rule in rules)
        {
            var keep = options.Value.KeepFor(rule);
            if (keep <= TimeSpan.Zero) continue;
            var total = 0;
            while (true)
            {
                var batch = await DeleteBatchAsync(rule, keep, ct);
                total += batch;
                if (batch > 0) pass.Working(batch);
                if (batch < options.Value.BatchSize) break;
                await Task.Delay(options.Value.Pause, ct);
            }
            deleted[rule.Table] = total;
            if (total > 0) LogPurged(rule.Table, total, keep);
        }
        return deleted;
    }

    async Task<int> DeleteBatchAsync(RetentionRule rule, TimeSpan keep, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var condition = rule.Condition is { Length: > 0 } c ? $" AND ({c})" : "";
        // Table, column and condition come from code, never from configuration; the age and the batch are parameters.
#pragma warning disable EF1002
        return await db.Database.ExecuteSqlRawAsync($$"""
            DELETE FROM {{rule.Table}} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM {{rule.Table}} WHERE {{rule.AgeColumn}} < now() - {0}{{condition}}
                ORDER BY {{rule.AgeColumn}} LIMIT {1} FOR UPDATE SKIP LOCKED))
            """, [keep, options.Value.BatchSize], ct);
#pragma warning restore EF1002
    }


    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Retention: {Count} rows older than {Keep} deleted from {Table}")]
    partial void LogPurged(string table, int count, TimeSpan keep);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Retention pass failed; retried at the next interval")]
    partial void LogFailed(Exception exception);
}
