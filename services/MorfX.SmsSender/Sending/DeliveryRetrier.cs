using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Lifecycle;
using MorfX.SmsSender.Pricing;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Sends again, as a new request, the automation messages a transient carrier failure (30003, 30008) left undelivered,
/// once their <c>redeliver_at</c> is due (set by <see cref="SmsStatusUpdate"/>): handed over (<see cref="SmsLifecycle.HandOver"/>)
/// in the transaction that writes the new request to the outbox. The new request's id is derived from the failed one, so a
/// repeated hand-over is the same request, which sms-sender sends once. Each message is its own row in usage: Twilio
/// charges every attempt.
/// </summary>
public sealed partial class DeliveryRetrier(IServiceScopeFactory scopes, IOptions<DeliveryRetryOptions> options, ILogger<DeliveryRetrier> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try { await RedeliverDueAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(e); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsCancellable());
    }

    async Task RedeliverDueAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("redeliver undelivered SMS");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox<SmsDbContext>>();
        // Claimed and cleared in the transaction that writes the new requests to the outbox; published right after the commit.
        await outbox.SaveInTransactionAsync(async () =>
        {
            var handOver = SmsLifecycle.HandOver;
            var due = await db.Messages.FromSql($"""
                UPDATE sms_messages SET redeliver_at = NULL, state = ({handOver.To})[array_position({handOver.From}, state)]
                WHERE request_id IN (
                    SELECT request_id FROM sms_messages WHERE state = ANY ({handOver.From}) AND redeliver_at <= now()
                    ORDER BY redeliver_at LIMIT 100 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(ct);
            if (due.Count > 0) pass.Working(due.Count);
            foreach (var m in due)
            {
                var attempt = m.DeliveryAttempt + 1;
                var next = NextRequestId(m.RequestId, attempt);
                outbox.Add(next, new SmsRequested(next, m.WorkspaceId, m.ToNumber, m.Body, m.MediaUrls,
                    new SmsOrigin(m.OriginKind, m.AutomationId, m.RunId, m.TriggerEventId), DateTimeOffset.UtcNow)
                { DeliveryAttempt = attempt });
                LogRedelivered(m.RequestId, m.ErrorCode, attempt);
            }
        }, ct);
        await outbox.FlushAsync(ct);
    }

    /// <summary>The request id of the next delivery: derived from the failed one, the same whoever derives it.</summary>
    public static Guid NextRequestId(Guid failed, int attempt) => DeterministicGuid.Create(failed, $"delivery:{attempt}");

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Request {RequestId} undelivered ({ErrorCode}): delivery {Attempt} requested")]
    partial void LogRedelivered(Guid requestId, int? errorCode, int attempt);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Scheduling redeliveries failed; retried at the next poll")]
    partial void LogFailed(Exception exception);
}
