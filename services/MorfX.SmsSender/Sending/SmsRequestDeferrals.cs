using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.Contracts;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// Parks an SmsRequested that an outage (config-api's look-up or Twilio unreachable) keeps from being handled, instead of
/// letting it land in the _error queue for a person to replay. A request is parked after the consumer's last in-process
/// retry, or at once when it already came back from a deferral (the outage has been proven long). It is handed back to the
/// queue by <see cref="DeferredRequestReleaser"/>, with backoff, until Deferral:MaxWait after it was requested; then the
/// error queue takes it. Its RequestId stays the exactly-once key, so a hand-back that is repeated sends nothing twice.
/// </summary>
public sealed partial class SmsRequestDeferrals(SmsDbContext db, IOptions<DeferralOptions> options, SmsMetrics metrics, ILogger<SmsRequestDeferrals> logger)
{
    /// <summary>The header a handed-back request carries: how many times it was parked.</summary>
    public const string DeferralsHeader = "MorfX-Deferrals";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static int DeferralsOf(ConsumeContext context) => context.Headers.Get<int>(DeferralsHeader) ?? 0;

    public bool ShouldDefer(ConsumeContext<SmsRequested> context) =>
        (DeferralsOf(context) > 0 || context.IsLastRetry())
        && DateTimeOffset.UtcNow - context.Message.RequestedAt < options.Value.MaxWait;

    public async Task DeferAsync(ConsumeContext<SmsRequested> context, string reason)
    {
        var request = context.Message;
        var deferrals = DeferralsOf(context) + 1;
        var delay = options.Value.DelayBefore(deferrals);
        var message = JsonSerializer.Serialize(request, Json);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO deferred_sms_requests (request_id, message, deferrals, reason, deferred_at, due_at)
            VALUES ({request.RequestId}, {message}::jsonb, {deferrals}, {reason}, now(), now() + {delay})
            ON CONFLICT (request_id) DO UPDATE SET message = EXCLUDED.message, deferrals = EXCLUDED.deferrals,
                reason = EXCLUDED.reason, deferred_at = EXCLUDED.deferred_at, due_at = EXCLUDED.due_at
            """, CancellationToken.None);
        metrics.Deferred.Add(1);
        LogDeferred(request.RequestId, reason, deferrals, delay);
    }

    public static SmsRequested Read(DeferredSmsRequest row) => JsonSerializer.Deserialize<SmsRequested>(row.Message, Json)!;

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "SMS {RequestId} waits for an outage to end ({Reason}): parked ({Deferrals}), handed back in {Delay}")]
    partial void LogDeferred(Guid requestId, string reason, int deferrals, TimeSpan delay);
}
