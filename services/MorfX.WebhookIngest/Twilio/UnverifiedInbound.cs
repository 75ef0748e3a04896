using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApiClient;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.WebhookIngest.Apis;
using MorfX.WebhookIngest.Data;

namespace MorfX.WebhookIngest.Twilio;

/// <summary>
/// Inbound SMS whose workspace's auth token could not be read when they arrived (config-api down): <see cref="KeepAsync"/> keeps
/// the request as Twilio signed it (within the caps of <see cref="UnverifiedInboundOptions"/>), and <see cref="PassAsync"/>
/// checks the signature once the token can be read. A request that checks out becomes exactly what the webhook would have
/// published (<see cref="TwilioInboundApi.Inbound"/>, same MessageId), through the outbox and in the statement that deletes the
/// kept row, so two instances, or Twilio's retry that got through meanwhile, do not announce it twice. One that does not
/// check out is dropped, as is one still not verifiable after <see cref="UnverifiedInboundOptions.MaxAge"/>.
/// </summary>
public sealed partial class UnverifiedInbound(
    IngestDbContext db, Outbox<IngestDbContext> outbox, IntegrationLookup lookup, UnverifiedInboundOptions options, WebhookMetrics metrics,
    TimeProvider clock, ILogger<UnverifiedInbound> logger)
{
    /// <summary>Whether the request is kept (already kept counts): only a well-formed form post, within the caps, when the database takes it.</summary>
    public async Task<bool> KeepAsync(TwilioSignedRequest signed, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var (accountSid, messageSid) = (signed.Field("AccountSid"), signed.Field("MessageSid"));
        if (signed.JsonBody is not null || !IsAccountSid(accountSid) || messageSid.Length is 0 or > 64 || signed.Field("From").Length == 0)
        {
            metrics.Unverified("malformed");
            return false;
        }
        // Twilio's retry is the same request (same signature); a forged copy of a sid is a row of its own, so it cannot take the real one's place.
        var id = DeterministicGuid.Create(signed.WorkspaceId, $"twilio-inbound-unverified:{messageSid}:{signed.Signature}");
        var fields = JsonSerializer.Serialize(signed.Fields);
        try
        {
            var kept = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO unverified_inbound_sms (id, workspace_id, account_sid, message_sid, url, fields, signature, received_at)
                SELECT {id}, {signed.WorkspaceId}, {accountSid}, {messageSid}, {signed.Url}, {fields}::jsonb, {signed.Signature}, {receivedAt}
                WHERE (SELECT count(*) FROM unverified_inbound_sms WHERE account_sid = {accountSid}) < {options.MaxPerAccount}
                  AND (SELECT count(*) FROM unverified_inbound_sms) < {options.MaxTotal}
                ON CONFLICT (id) DO NOTHING
                """, ct) == 1 || await db.UnverifiedInboundSms.AnyAsync(r => r.Id == id, ct);
            metrics.Unverified(kept ? "kept" : "full");
            if (kept) LogKept(messageSid, signed.WorkspaceId);
            else LogFull(messageSid, signed.WorkspaceId);
            return kept;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotKept(e, messageSid, signed.WorkspaceId);
            return false;
        }
    }

    /// <summary>
    /// Verifies the oldest kept requests, a look-up per workspace; stops at the first look-up that still fails (config-api is
    /// still down: the next pass tries again). Then drops what is past its age. Returns how many were verified or refused.
    /// </summary>
    public async Task<int> PassAsync(CancellationToken ct)
    {
        using var pass = BackgroundPass.Start("verify kept inbound SMS");
        var rows = await db.UnverifiedInboundSms.AsNoTracking().OrderBy(r => r.ReceivedAt).Take(options.BatchSize).ToListAsync(ct);
        if (rows.Count > 0) pass.Working(rows.Count);
        var done = 0;
        foreach (var workspace in rows.GroupBy(r => r.WorkspaceId))
        {
            TwilioCredentials? credentials;
            try
            {
                credentials = await lookup.GetTwilioAsync(workspace.Key, ct);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException
                                           || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                LogStillUnverifiable(workspace.Key, e.GetType().Name);
                break;
            }
            foreach (var row in workspace)
            {
                await VerifyAsync(row, credentials, ct);
                done++;
            }
        }
        var cutoff = clock.GetUtcNow() - options.MaxAge;
        var expired = await db.UnverifiedInboundSms.AsNoTracking().Where(r => r.ReceivedAt < cutoff).Take(options.BatchSize).ToListAsync(ct);
        if (expired.Count > 0) pass.Working(expired.Count);
        foreach (var row in expired)
        {
            if (!await DeleteAsync(row, ct)) continue;
            metrics.Unverified("expired");
            LogExpired(row.MessageSid, row.WorkspaceId, row.ReceivedAt, options.MaxAge);
        }
        return done;
    }

    async Task VerifyAsync(UnverifiedInboundSms row, TwilioCredentials? credentials, CancellationToken ct)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Fields) ?? [];
        var signed = new TwilioSignedRequest(row.WorkspaceId, row.Url, fields, null, row.Signature);
        var refusal = credentials is null ? "unknown_workspace" : !signed.IsSignedWith(credentials.AuthToken) ? "invalid_signature" : null;
        if (refusal is null && TwilioInboundApi.Inbound(new VerifiedTwilioRequest(row.WorkspaceId, fields), row.ReceivedAt) is { } accepted)
        {
            outbox.Add(accepted.Id, accepted.Message);
            // Written only if this instance deleted the kept row, and only if the webhook's own outbox row is not there already.
            if (await outbox.SaveWithClaimAsync($"DELETE FROM unverified_inbound_sms WHERE id = {row.Id} RETURNING 1", ct))
            {
                metrics.Unverified("verified");
                LogVerified(row.MessageSid, row.WorkspaceId);
            }
            await outbox.FlushAsync(ct);
            return;
        }
        if (!await DeleteAsync(row, ct)) return;
        metrics.Unverified(refusal ?? "invalid_body");
        LogRefused(row.MessageSid, row.WorkspaceId, refusal ?? "invalid_body");
    }

    async Task<bool> DeleteAsync(UnverifiedInboundSms row, CancellationToken ct) =>
        await db.UnverifiedInboundSms.Where(r => r.Id == row.Id).ExecuteDeleteAsync(ct) == 1;

    /// <summary>AC and 32 hex digits, as Twilio's account sids.</summary>
    static bool IsAccountSid(string value) =>
        value.Length == 34 && value.StartsWith("AC", StringComparison.Ordinal) && !value.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF");

    [LoggerMessage(3121, LogLevel.Warning, "Inbound SMS {MessageSid} for workspace {WorkspaceId} kept unverified: its auth token could not be read; verified once it can")]
    partial void LogKept(string messageSid, Guid workspaceId);

    [LoggerMessage(3122, LogLevel.Warning, "Inbound SMS {MessageSid} for workspace {WorkspaceId} not kept: too many unverified requests are kept already; answering 503")]
    partial void LogFull(string messageSid, Guid workspaceId);

    [LoggerMessage(3123, LogLevel.Warning, "Inbound SMS {MessageSid} for workspace {WorkspaceId} could not be kept; answering 503")]
    partial void LogNotKept(Exception exception, string messageSid, Guid workspaceId);

    [LoggerMessage(3124, LogLevel.Information, "Kept inbound SMS {MessageSid} for workspace {WorkspaceId} verified and published")]
    partial void LogVerified(string messageSid, Guid workspaceId);

    [LoggerMessage(3125, LogLevel.Warning, "Kept inbound SMS {MessageSid} for workspace {WorkspaceId} dropped: {Reason}")]
    partial void LogRefused(string messageSid, Guid workspaceId, string reason);

    [LoggerMessage(3126, LogLevel.Error, "Kept inbound SMS {MessageSid} for workspace {WorkspaceId}, received {ReceivedAt}, dropped unverified after {MaxAge}: its auth token could not be read all that time")]
    partial void LogExpired(string messageSid, Guid workspaceId, DateTimeOffset receivedAt, TimeSpan maxAge);

    [LoggerMessage(3127, LogLevel.Debug, "Kept inbound SMS of workspace {WorkspaceId} still unverifiable ({ErrorType}); tried again next pass")]
    partial void LogStillUnverifiable(Guid workspaceId, string errorType);
}
