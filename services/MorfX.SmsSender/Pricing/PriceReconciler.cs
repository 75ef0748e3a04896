using MorfX.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Integrations;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Sending;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.Pricing;

/// <summary>
/// Asks Twilio about each message that has gone quiet: one with no final status some time after sending (its callback
/// may have been lost: Twilio does not retry them), and each finished one until it has a price (Twilio sets it minutes after sending, never in a
/// callback), with exponential backoff up to Pricing:MaxChecks, then publishes SmsPriced with the positive cost.
/// Driven only by sms_messages.next_price_check_at, so a restart just carries on. Rows are claimed with
/// FOR UPDATE SKIP LOCKED and a short lease, so several instances never fetch the same message at once.
/// </summary>
public sealed partial class PriceReconciler(IServiceScopeFactory scopes, PricingSettings settings, SmsMetrics metrics, ILogger<PriceReconciler> logger)
    : BackgroundService
{
    static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var now = DateTimeOffset.UtcNow;
        var due = await db.Messages.FromSql($"""
            UPDATE sms_messages SET next_price_check_at = {now + ClaimLease}
            WHERE request_id IN (
                SELECT request_id FROM sms_messages
                WHERE next_price_check_at IS NOT NULL AND next_price_check_at <= {now}
                ORDER BY next_price_check_at LIMIT {settings.BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).ToListAsync(ct);
        if (due.Count == 0) return 0;

        var lookup = scope.ServiceProvider.GetRequiredService<IntegrationLookup>();
        var twilio = scope.ServiceProvider.GetRequiredService<TwilioMessagesClient>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var message in due)
        {
            try
            {
                await CheckAsync(message, db, lookup, twilio, publish, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogCheckFailed(message.MessageSid, SmsDispatcher.Describe(e));
                ScheduleNext(message);
            }
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return due.Count;
    }

    async Task CheckAsync(SmsMessage message, SmsDbContext db, IntegrationLookup lookup, TwilioMessagesClient twilio, IPublishEndpoint publish, CancellationToken ct)
    {
        if (message.MessageSid is null || message.Price is not null)
        {
            message.NextPriceCheckAt = null;
            return;
        }
        var credentials = await lookup.GetTwilioAsync(message.WorkspaceId, ct);
        if (credentials is null)
        {
            ScheduleNext(message);
            return;
        }

        var fetched = await twilio.FetchMessageAsync(credentials, message.MessageSid, ct);
        var status = fetched.Status.ToLowerInvariant();
        if (message.FinalAt is null && SmsStatuses.IsKnown(status) && await SmsStatusUpdate.ApplyAsync(db, message.RequestId, status, fetched.ErrorCode, ct))
        {
            LogStatusReconciled(message.MessageSid, message.Status, status);
            metrics.RecordStatus(status);
            await publish.Publish(new SmsStatusChanged(message.RequestId, message.WorkspaceId, message.MessageSid, status, fetched.ErrorCode, DateTimeOffset.UtcNow), ct);
            message.Status = status;
            if (SmsStatuses.IsFinal(status)) message.FinalAt = DateTimeOffset.UtcNow;
        }
        if (fetched.Price is not { } price)
        {
            ScheduleNext(message);
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var unit = fetched.PriceUnit ?? "USD";
        // Published before the row is marked priced: a crash in between publishes again (usage-api keys on the sid),
        // never loses the price.
        await publish.Publish(new SmsPriced(message.RequestId, message.WorkspaceId, message.MessageSid, Math.Abs(price), unit, now), ct);
        message.Price = price;
        message.PriceUnit = unit;
        message.PricedAt = now;
        message.PriceChecks++;
        message.NextPriceCheckAt = null;
        message.UpdatedAt = now;
        metrics.Priced.Add(1);
        metrics.RecordCost(Math.Abs(price), unit);
        LogPriced(message.MessageSid, price, unit, message.PriceChecks);
    }

    void ScheduleNext(SmsMessage message)
    {
        message.PriceChecks++;
        message.UpdatedAt = DateTimeOffset.UtcNow;
        if (message.PriceChecks >= settings.MaxChecks)
        {
            message.NextPriceCheckAt = null;
            LogGaveUp(message.MessageSid, message.PriceChecks);
            return;
        }
        message.NextPriceCheckAt = DateTimeOffset.UtcNow + settings.BackoffAfter(message.PriceChecks);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Message {MessageSid} priced at {Price} {PriceUnit} after {Checks} check(s)")]
    partial void LogPriced(string? messageSid, decimal price, string priceUnit, int checks);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Message {MessageSid} had no status callback; Twilio says {To} (was {From})")]
    partial void LogStatusReconciled(string? messageSid, string from, string to);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Message {MessageSid} still has no price after {Checks} checks; giving up")]
    partial void LogGaveUp(string? messageSid, int checks);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Price check for {MessageSid} failed: {Error}")]
    partial void LogCheckFailed(string? messageSid, string error);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Price reconciliation batch failed")]
    partial void LogBatchFailed(Exception exception);
}

static class PeriodicTimerExtensions
{
    /// <summary>False instead of an exception when the service is stopping.</summary>
    public static async ValueTask<bool> AsCancellable(this ValueTask<bool> tick)
    {
        try { return await tick; }
        catch (OperationCanceledException) { return false; }
    }
}
