using Microsoft.EntityFrameworkCore;
using MorfX.Contracts;
using MorfX.Data.Redaction;
using MorfX.Rules;
using MorfX.SmsSender.Data;

namespace MorfX.SmsSender.OptOuts;

/// <summary>
/// The workspace's opted-out numbers (sms_opt_outs), the one place they are read and changed: checked before every Twilio
/// call, marked by a 21610 or an inbound keyword, lifted by START/ALTA or by an owner/admin through config-api.
/// Changes are ordered by when they happened at Twilio (<c>effective_at</c>), never by when MorfX heard of them: one row per
/// number holds the greatest change so far, in this order: an opt-in of unknown time &lt; every change of known time (by time,
/// an opt-out after an opt-in of the same instant) &lt; an opt-out of unknown time. So the later keyword wins, and where either
/// time is unknown the opt-out wins. Keeping the greatest is idempotent and does not depend on the order of arrival.
/// An owner/admin's lift is the exception: it replaces whatever is there, at its own time.
/// </summary>
public sealed partial class OptOutRegistry(SmsDbContext db, RedactionHasher hasher, ILogger<OptOutRegistry> logger)
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
                           WHERE workspace_id = {workspaceId} AND phone_hash = {hasher.Hash(workspaceId, phone)}) AS "Value"
            """).SingleAsync(ct);

    /// <summary>
    /// Records that the number opted out (true) or back in (false) at <paramref name="effectiveAt"/> (Twilio's time; null when
    /// unknown), unless a greater change is recorded (see the class). Returns whether this change is now the number's state.
    /// </summary>
    public async Task<bool> SetAsync(Guid workspaceId, string phone, bool optedOut, string source, DateTimeOffset? effectiveAt, CancellationToken ct)
    {
        var applied = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO sms_opt_outs AS o (id, workspace_id, phone_number, opted_out, source, changed_at, effective_at)
            VALUES ({Guid.NewGuid()}, {workspaceId}, {phone}, {optedOut}, {source}, {DateTimeOffset.UtcNow}, {effectiveAt})
            ON CONFLICT (workspace_id, phone_number) DO UPDATE
                SET opted_out = EXCLUDED.opted_out, source = EXCLUDED.source, changed_at = EXCLUDED.changed_at, effective_at = EXCLUDED.effective_at
                WHERE (CASE WHEN o.effective_at IS NOT NULL THEN 1 WHEN o.opted_out THEN 2 ELSE 0 END,
                       COALESCE(o.effective_at, '-infinity'), o.opted_out)
                   <= (CASE WHEN EXCLUDED.effective_at IS NOT NULL THEN 1 WHEN EXCLUDED.opted_out THEN 2 ELSE 0 END,
                       COALESCE(EXCLUDED.effective_at, '-infinity'), EXCLUDED.opted_out)
            """, ct) == 1;
        if (applied) LogChanged(workspaceId, PhoneNumbers.Redact(phone), optedOut, source, effectiveAt);
        else LogOverruled(workspaceId, PhoneNumbers.Redact(phone), optedOut, source, effectiveAt);
        return applied;
    }

    public async Task<IReadOnlyList<SmsOptOutItem>> ListAsync(Guid workspaceId, CancellationToken ct) =>
        [.. (await db.OptOuts.AsNoTracking().Where(o => o.WorkspaceId == workspaceId && o.OptedOut)
                .OrderByDescending(o => o.ChangedAt).Take(1000).ToListAsync(ct))
            .Select(o => new SmsOptOutItem(o.Id, PhoneNumbers.Redact(o.PhoneNumber), o.Source, o.EffectiveAt ?? o.ChangedAt))];

    /// <summary>An owner/admin lifts one opt-out; false when the workspace has no such opted-out number.</summary>
    public async Task<bool> LiftAsync(Guid workspaceId, Guid optOutId, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var lifted = await db.OptOuts.Where(o => o.Id == optOutId && o.WorkspaceId == workspaceId && o.OptedOut)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.OptedOut, false).SetProperty(o => o.Source, FromAdmin)
                .SetProperty(o => o.ChangedAt, now).SetProperty(o => o.EffectiveAt, now), ct);
        if (lifted == 1) LogLifted(workspaceId, optOutId);
        return lifted == 1;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: {Phone} opted out = {OptedOut} ({Source}, at Twilio {EffectiveAt})")]
    partial void LogChanged(Guid workspaceId, string phone, bool optedOut, string source, DateTimeOffset? effectiveAt);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: opt-out {OptOutId} lifted by an administrator")]
    partial void LogLifted(Guid workspaceId, Guid optOutId);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: {Phone} opted out = {OptedOut} ({Source}, at Twilio {EffectiveAt}) overruled by a later change, or an opt-out of unknown time")]
    partial void LogOverruled(Guid workspaceId, string phone, bool optedOut, string source, DateTimeOffset? effectiveAt);
}
