using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.Sending;
using MorfX.SmsSender.Twilio;
using NpgsqlTypes;
using static MorfX.Data.ArrayParameters;

namespace MorfX.SmsSender.Pricing;

/// <summary>
/// Asks Twilio about each message that has gone quiet: one with no final status some time after sending (its callback
/// may have been lost: Twilio does not retry them), and each finished one until it has a price (Twilio sets it minutes
/// after sending, never in a callback), with exponential backoff up to Pricing:MaxChecks, then announces SmsPriced with the
/// positive cost (the batch's prices and statuses in one SmsActivity). The first check comes when Twilio has usually priced by then (<see cref="PricingDelay"/>, learnt).
/// Works in batches: up to Pricing:BatchSize due messages are claimed at once, each workspace's (per sending number) are
/// priced by ONE list call at Twilio (messages sent between the oldest and the newest of them, pages of 1,000, up to 3,000), and only those the
/// list did not return are fetched one by one; workspaces are asked in parallel. The batch's bookkeeping is written back by
/// one set-based UPDATE.
/// Driven only by the rows (their state and next_price_check_at), so a restart just carries on. Rows are claimed with
/// FOR UPDATE SKIP LOCKED and a short lease, so several instances never fetch the same message at once.
/// </summary>
public sealed partial class PriceReconciler(
    IServiceScopeFactory scopes, IOptions<PricingOptions> pricing, PricingDelay delay, IOptions<DeliveryRetryOptions> retrySettings, SmsMetrics metrics,
    ILogger<PriceReconciler> logger)
    : BackgroundService
{
    readonly PricingOptions settings = pricing.Value;
    readonly DeliveryRetryOptions retries = retrySettings.Value;

    // A workspace with fewer due messages than this is fetched message by message: a list would not save a call.
    const int ListThreshold = 3;
    const int ListPageSize = 1000, ListLimit = 3000;
    // Our sent_at is when we stored the sid; Twilio's date_sent is when it handed the message on: usually within seconds
    // (a queued long code can take longer: what the list misses is fetched one by one). Clocks differ a little too.
    static readonly TimeSpan SentBefore = TimeSpan.FromSeconds(10), SentAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            try
            {
                while (await RunBatchAsync(stoppingToken) == settings.BatchSize && !stoppingToken.IsCancellationRequested) { }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsCancellable());
    }

    /// <summary>Checks the messages that are due; returns how many it claimed.</summary>
    async Task<int> RunBatchAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("price check");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var checking = SmsLifecycle.EndChecks.From;
        var due = await db.Messages.FromSql($"""
            UPDATE sms_messages SET next_price_check_at = now() + {settings.ClaimLease}
            WHERE request_id IN (
                SELECT request_id FROM sms_messages
                WHERE state = ANY ({checking}) AND next_price_check_at <= now()
                ORDER BY next_price_check_at LIMIT {settings.BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        if (due.Count == 0) return 0;
        pass.Working(due.Count);

        var fetched = await FetchAsync(due, scope.ServiceProvider.GetRequiredService<IntegrationLookup>(),
            scope.ServiceProvider.GetRequiredService<TwilioMessagesClient>(), ct);
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox<SmsDbContext>>();
        // The statuses, the prices and their announcements commit together; published right after (or by the outbox dispatcher).
        await outbox.SaveInTransactionAsync(async () =>
        {
            // Every row of the batch locked at once, in request order (as a status update locks them): the per-message status
            // updates and the bookkeeping below then never hold one row while waiting for another that a status update holds.
            var ids = due.Select(m => m.RequestId).ToArray();
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM sms_messages WHERE request_id = ANY ({ids}) ORDER BY request_id FOR UPDATE", ct);
            List<SmsStatusChanged> changes = [];
            List<SmsPriced> prices = [];
            foreach (var message in due)
            {
                try
                {
                    await CheckAsync(message, fetched.GetValueOrDefault(message.RequestId), db, changes, prices, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    LogCheckFailed(message.MessageSid, SmsDispatcher.Describe(e));
                    ScheduleNext(message);
                }
            }
            StatusAnnouncements.Add(outbox, changes, prices);
            await SaveAsync(db, due);
        }, ct);
        await outbox.FlushAsync(ct);
        return due.Count;
    }

    /// <summary>
    /// The batch's price bookkeeping in one UPDATE … FROM unnest (the status, if it moved, was written by its own update);
    /// a message done with has its checks ended (<see cref="SmsLifecycle.EndChecks"/>) from the state it has now.
    /// </summary>
    static Task SaveAsync(SmsDbContext db, List<SmsMessage> checkedMessages) => db.Database.ExecuteSqlAsync($"""
        UPDATE sms_messages AS m
        SET price = u.price, price_unit = u.price_unit, priced_at = u.priced_at, price_checks = u.price_checks,
            next_price_check_at = u.next_price_check_at, updated_at = u.updated_at,
            state = CASE WHEN u.ended
                         THEN COALESCE(({SmsLifecycle.EndChecks.To})[array_position({SmsLifecycle.EndChecks.From}, m.state)], m.state)
                         ELSE m.state END
        FROM unnest({Column("ids", NpgsqlDbType.Uuid, checkedMessages, m => m.RequestId)},
                    {Column("prices", NpgsqlDbType.Numeric, checkedMessages, m => m.Price)},
                    {Column("units", NpgsqlDbType.Text, checkedMessages, m => m.PriceUnit)},
                    {Column("priced", NpgsqlDbType.TimestampTz, checkedMessages, m => m.PricedAt)},
                    {Column("checks", NpgsqlDbType.Integer, checkedMessages, m => m.PriceChecks)},
                    {Column("next", NpgsqlDbType.TimestampTz, checkedMessages, m => m.NextPriceCheckAt)},
                    {Column("updated", NpgsqlDbType.TimestampTz, checkedMessages, m => m.UpdatedAt)},
                    {Column("ended", NpgsqlDbType.Boolean, checkedMessages, m => !SmsLifecycle.ChecksPending(m.State))})
             AS u(request_id, price, price_unit, priced_at, price_checks, next_price_check_at, updated_at, ended)
        WHERE m.request_id = u.request_id
        """, CancellationToken.None);

    /// <summary>Twilio's view of every due message it could be asked about: one list per workspace and number, then single fetches.</summary>
    async Task<ConcurrentDictionary<Guid, TwilioMessage>> FetchAsync(
        List<SmsMessage> due, IntegrationLookup lookup, TwilioMessagesClient twilio, CancellationToken ct)
    {
        var found = new ConcurrentDictionary<Guid, TwilioMessage>();
        var groups = due.Where(m => m.MessageSid is not null && m.Price is null).GroupBy(m => (m.WorkspaceId, m.FromNumber));
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (group, token) =>
        {
            var credentials = await lookup.GetTwilioAsync(group.Key.WorkspaceId, token);
            if (credentials is null) return;
            var pending = group.ToList();
            if (pending.Count >= ListThreshold && group.Key.FromNumber is { } from)
            {
                try
                {
                    // The batch is the longest-waiting messages, so their sending times are close together: one page covers them.
                    var sent = pending.Select(m => m.SentAt ?? m.CreatedAt).ToList();
                    // Pages shift while messages keep arriving, so one may be listed twice: the first copy is as good as any.
                    var listed = new Dictionary<string, TwilioMessage>(StringComparer.Ordinal);
                    foreach (var message in await twilio.ListSentBetweenAsync(
                                 credentials, from, sent.Min() - SentBefore, sent.Max() + SentAfter, ListPageSize, ListLimit, token))
                        listed.TryAdd(message.Sid, message);
                    foreach (var message in pending)
                        if (listed.TryGetValue(message.MessageSid!, out var match)) found[message.RequestId] = match;
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    LogListFailed(group.Key.WorkspaceId, SmsDispatcher.Describe(e));
                }
            }
            foreach (var message in pending.Where(m => !found.ContainsKey(m.RequestId)))
            {
                try { found[message.RequestId] = await twilio.FetchMessageAsync(credentials, message.MessageSid!, token); }
                catch (Exception e) when (!token.IsCancellationRequested) { LogCheckFailed(message.MessageSid, SmsDispatcher.Describe(e)); }
            }
        });
        return found;
    }

    /// <summary>One message against Twilio's view of it; a status it moved and a price it found are added to the batch's announcements.</summary>
    async Task CheckAsync(SmsMessage message, TwilioMessage? fetched, SmsDbContext db, List<SmsStatusChanged> changes, List<SmsPriced> prices,
        CancellationToken ct)
    {
        if (message.MessageSid is null || message.Price is not null)
        {
            EndChecks(message);
            return;
        }
        if (fetched is null)
        {
            ScheduleNext(message);
            return;
        }

        var status = fetched.Status.ToLowerInvariant();
        if (message.FinalAt is null && SmsStatuses.IsKnown(status)
            && await SmsStatusUpdate.ApplyAsync(db, message.RequestId, status, fetched.ErrorCode, delay.FirstCheckAfter, retries, ct))
        {
            LogStatusReconciled(message.MessageSid, message.Status, status);
            metrics.RecordStatus(status);
            changes.Add(new SmsStatusChanged(message.RequestId, message.WorkspaceId, message.MessageSid, status, fetched.ErrorCode, DateTimeOffset.UtcNow));
            message.Status = status;
            if (SmsStatuses.IsFinal(status)) message.FinalAt = DateTimeOffset.UtcNow;
        }
        var firstCheck = message.PriceChecks == 0 && message.FinalAt is not null;
        if (fetched.Price is not { } price)
        {
            if (firstCheck) delay.Observe(priced: false);
            ScheduleNext(message);
            return;
        }

        if (firstCheck) delay.Observe(priced: true);
        var now = DateTimeOffset.UtcNow;
        var unit = fetched.PriceUnit ?? "USD";
        prices.Add(new SmsPriced(message.RequestId, message.WorkspaceId, message.MessageSid, Math.Abs(price), unit, now));
        message.Price = price;
        message.PriceUnit = unit;
        message.PricedAt = now;
        message.PriceChecks++;
        EndChecks(message);
        message.UpdatedAt = now;
        metrics.Priced.Add(1);
        metrics.RecordCost(Math.Abs(price), unit);
        if (message.FinalAt is { } finalAt) metrics.PricedAfterSeconds.Record((now - finalAt).TotalSeconds);
        LogPriced(message.MessageSid, price, unit, message.PriceChecks);
    }

    static void EndChecks(SmsMessage message)
    {
        message.NextPriceCheckAt = null;
        if (SmsLifecycle.ChecksPending(message.State)) message.State = SmsLifecycle.EndChecks.Apply(message.State);
    }

    void ScheduleNext(SmsMessage message)
    {
        message.PriceChecks++;
        message.UpdatedAt = DateTimeOffset.UtcNow;
        if (message.PriceChecks >= settings.MaxChecks)
        {
            EndChecks(message);
            LogGaveUp(message.MessageSid, message.PriceChecks);
            return;
        }
        // A first check that just missed the price is usually seconds early: the second comes half a learnt delay later.
        var wait = message.PriceChecks == 1 && message.FinalAt is not null ? delay.FirstCheckAfter / 2 : settings.BackoffAfter(message.PriceChecks);
        message.NextPriceCheckAt = DateTimeOffset.UtcNow + wait;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Message {MessageSid} priced at {Price} {PriceUnit} after {Checks} check(s)")]
    partial void LogPriced(string? messageSid, decimal price, string priceUnit, int checks);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Message {MessageSid} had no status callback; Twilio says {To} (was {From})")]
    partial void LogStatusReconciled(string? messageSid, string from, string to);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Message {MessageSid} still has no price after {Checks} checks; giving up")]
    partial void LogGaveUp(string? messageSid, int checks);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Price check for {MessageSid} failed: {Error}")]
    partial void LogCheckFailed(string? messageSid, string error);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Price list for workspace {WorkspaceId} failed: {Error}; fetching one by one")]
    partial void LogListFailed(Guid workspaceId, string error);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Price reconciliation batch failed")]
    partial void LogBatchFailed(Exception exception);
}
