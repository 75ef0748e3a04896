using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.OptOuts;

/// <summary>
/// The workspace's opted-out numbers (sms_opt_outs), the one place they are read and changed: checked before every Twilio
/// call, marked by a 21610 or an inbound keyword, lifted by START/ALTA or by an owner/admin through config-api.
/// Changes are order-safe: one row per number, and an older change never overwrites a newer one.
/// </summary>
public sealed partial class OptOutRegistry(SmsDbContext db, ILogger<OptOutRegistry> logger)
{
    public const string FromTwilioRefusal = "twilio_21610";
    public const string FromInboundMessage = "inbound_message";
    public const string FromAdmin = "admin";

    public Task<bool> IsOptedOutAsync(Guid workspaceId, string phone, CancellationToken ct) =>
        db.OptOuts.AnyAsync(o => o.WorkspaceId == workspaceId && o.PhoneNumber == phone && o.OptedOut, ct);

    /// <summary>Whether the number belongs to a redacted Shopify customer of the workspace (a tombstone, or a number already erased).</summary>
    public async Task<bool> IsRedactedAsync(Guid workspaceId, string phone, CancellationToken ct) =>
        phone == SmsRecipientsRedacted.ErasedNumber
        || await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (SELECT 1 FROM redacted_recipients
                           WHERE workspace_id = {workspaceId} AND phone_hash = recipient_hash({workspaceId}, {phone})) AS "Value"
            """).SingleAsync(ct);

    /// <summary>Records that the number opted out (true) or back in (false) at <paramref name="at"/>, unless a later change is already recorded.</summary>
    public async Task SetAsync(Guid workspaceId, string phone, bool optedOut, string source, DateTimeOffset at, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO sms_opt_outs (id, workspace_id, phone_number, opted_out, source, changed_at)
            VALUES ({Guid.NewGuid()}, {workspaceId}, {phone}, {optedOut}, {source}, {at})
            ON CONFLICT (workspace_id, phone_number) DO UPDATE
                SET opted_out = EXCLUDED.opted_out, source = EXCLUDED.source, changed_at = EXCLUDED.changed_at
                WHERE sms_opt_outs.changed_at <= EXCLUDED.changed_at
            """, ct);
        LogChanged(workspaceId, PhoneNumbers.Redact(phone), optedOut, source);
    }

    public async Task<IReadOnlyList<SmsOptOutItem>> ListAsync(Guid workspaceId, CancellationToken ct) =>
        [.. (await db.OptOuts.AsNoTracking().Where(o => o.WorkspaceId == workspaceId && o.OptedOut)
                .OrderByDescending(o => o.ChangedAt).Take(1000).ToListAsync(ct))
            .Select(o => new SmsOptOutItem(o.Id, PhoneNumbers.Redact(o.PhoneNumber), o.Source, o.ChangedAt))];

    /// <summary>An owner/admin lifts one opt-out; false when the workspace has no such opted-out number.</summary>
    public async Task<bool> LiftAsync(Guid workspaceId, Guid optOutId, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var lifted = await db.OptOuts.Where(o => o.Id == optOutId && o.WorkspaceId == workspaceId && o.OptedOut)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.OptedOut, false).SetProperty(o => o.Source, FromAdmin).SetProperty(o => o.ChangedAt, now), ct);
        if (lifted == 1) LogLifted(workspaceId, optOutId);
        return lifted == 1;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: {Phone} opted out = {OptedOut} ({Source})")]
    partial void LogChanged(Guid workspaceId, string phone, bool optedOut, string source);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: opt-out {OptOutId} lifted by an administrator")]
    partial void LogLifted(Guid workspaceId, Guid optOutId);
}
