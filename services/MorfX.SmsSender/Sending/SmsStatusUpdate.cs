using MorfX.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.Sending;

/// <summary>
/// The one way a message's status changes, whoever learnt it (a callback, or the reconciler asking Twilio): a single
/// conditional UPDATE that only moves the status forward. A final status schedules the first price check
/// <paramref name="firstPriceCheck"/> later (the observed pricing delay, see <see cref="Pricing.PricingDelay"/>); a transient
/// carrier failure schedules another delivery (see <see cref="DeliveryRetrier"/>).
/// </summary>
public static class SmsStatusUpdate
{
    /// <summary>True when the status was applied; false when the message already had it or a later one.</summary>
    public static async Task<bool> ApplyAsync(
        SmsDbContext db, Guid requestId, string status, int? errorCode, TimeSpan firstPriceCheck, DeliveryRetrySettings retries, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        // A transient carrier failure (30003, 30008) of an automation's message: another message later, with backoff.
        var redeliver = SmsStatuses.IsFinal(status) && TwilioErrorCodes.IsRetryableDelivery(errorCode);
        var (max, first, second) = (retries.MaxAttempts, now + retries.FirstDelay, now + retries.FirstDelay * 4);
        var firstCheckAt = now + firstPriceCheck;
        var final = SmsStatuses.IsFinal(status);
        var lower = SmsStatuses.Below(status);
        var applied = await db.Messages
            .Where(m => m.RequestId == requestId && lower.Contains(m.Status))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(m => m.Status, status).SetProperty(m => m.UpdatedAt, now);
                if (errorCode is { } code) s.SetProperty(m => m.ErrorCode, code);
                if (final)
                {
                    s.SetProperty(m => m.FinalAt, now);
                    // Twilio prices a message some time after its final status: asked then, then again with backoff (PriceReconciler).
                    s.SetProperty(m => m.NextPriceCheckAt, m => m.Price == null ? (DateTimeOffset?)firstCheckAt : m.NextPriceCheckAt);
                }
                if (redeliver)
                    s.SetProperty(m => m.RedeliverAt, m => m.OriginKind == Contracts.SmsOrigin.Automation && m.DeliveryAttempt < max
                        ? (m.DeliveryAttempt == 1 ? first : second) : (DateTimeOffset?)null);
            }, ct);
        return applied == 1;
    }
}
