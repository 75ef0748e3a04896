using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApiClient;

/// <summary>
/// Reads config-api's change feed every <see cref="ConfigApiClientOptions.ChangePollInterval"/> and drops what each change
/// touches from <see cref="IntegrationLookup"/>: the durable path for changes (the feed is written in the change's own
/// transaction, and an instance that missed any part of it starts over), where IntegrationChanged is only the fast one.
/// Each read that reaches the head keeps the cache servable (<see cref="IntegrationLookup.IsCurrent"/>). An idle read is one
/// query on config-api's side and no trace on either.
/// </summary>
public sealed partial class IntegrationChangeFeed(
    Func<ConfigApiInternalClient> client, IntegrationLookup lookup, IOptions<ConfigApiClientOptions> options, TimeProvider clock,
    ILogger<IntegrationChangeFeed> logger) : BackgroundService
{
    /// <summary>Pages read in one pass (500 changes each); a reader still behind after them is not current and goes on next pass.</summary>
    public const int MaxPagesPerPass = 20;

    long? _after;
    bool _failing;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval, clock);
        do
        {
            try
            {
                await PollAsync(ct);
                if (_failing) LogReadAgain();
                _failing = false;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException
                                          || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // Logged once per outage: the callers' own look-ups report it, every one of them.
                if (!_failing) LogUnreadable(e.GetType().Name, e.Message);
                _failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(ct).AsCancellable());
    }

    /// <summary>One pass: reads the feed up to its head (at most <see cref="MaxPagesPerPass"/> pages) and drops what changed.</summary>
    public async Task PollAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("integration change feed");
        var asOf = clock.GetUtcNow();
        for (var page = 0; page < MaxPagesPerPass; page++)
        {
            var changes = await client().GetIntegrationChangesAsync(_after, ct);
            if (changes.StartOver)
            {
                pass.Working(1);
                var dropped = lookup.InvalidateAll();
                // Read after the head, so the set holds at least everything up to it; later changes add to it.
                lookup.KnowOnly(await client().GetIntegrationKeysAsync(ct));
                if (_after is not null) LogStartedOver(_after.Value, changes.Head, dropped);
                _after = changes.Head;
            }
            else if (changes.Changes.Count > 0)
            {
                pass.Working(changes.Changes.Count);
                foreach (var change in changes.Changes) lookup.Invalidate(change.WorkspaceId, change.ShopDomain);
                _after = changes.Changes[^1].Seq;
            }
            if (_after >= changes.Head || changes.Changes.Count == 0)
            {
                lookup.ChangesReadAsOf(asOf);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 8502, Level = LogLevel.Warning,
        Message = "config-api's change feed cannot be read ({ErrorType}: {Error}): cached look-ups are not served until it can")]
    partial void LogUnreadable(string errorType, string error);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Information, Message = "config-api's change feed is read again")]
    partial void LogReadAgain();

    [LoggerMessage(EventId = 8504, Level = LogLevel.Warning,
        Message = "config-api's change feed cannot continue after {After} (head {Head}): {Count} cached look-ups dropped")]
    partial void LogStartedOver(long after, long head, int count);
}
