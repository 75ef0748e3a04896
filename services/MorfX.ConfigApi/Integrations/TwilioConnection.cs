using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.Rules;

namespace MorfX.ConfigApi.Integrations;

/// <summary>
/// A workspace's Twilio account: save, remove, and its status (failing when Twilio rejects the credentials, active again
/// when new ones are saved or a test SMS goes out). Every committed change is announced as IntegrationChanged.
/// </summary>
public sealed partial class TwilioConnection(
    ConfigDbContext db, SecretProtector secrets, IntegrationAnnouncements announcements, ILogger<TwilioConnection> logger)
{
    public ValueTask<TwilioIntegration?> FindAsync(Guid workspaceId, CancellationToken ct) =>
        db.TwilioIntegrations.FindAsync([workspaceId], ct);

    /// <summary>Validates and saves the form; the saved integration, or why nothing was saved.</summary>
    public async Task<(TwilioIntegration? Twilio, IntegrationRefusal? Refusal)> SaveAsync(
        Guid workspaceId, TwilioSettingsRequest request, CancellationToken ct)
    {
        var twilio = await FindAsync(workspaceId, ct);
        var (input, errors) = IntegrationValidation.Twilio(request, hasStoredToken: twilio is not null);
        if (input is null) return (null, IntegrationRefusal.Invalid(errors));

        var now = DateTimeOffset.UtcNow;
        var credentialsChanged = twilio is null || twilio.AccountSid != input.AccountSid
            || (input.AuthToken is not null && input.AuthToken != secrets.Unprotect(workspaceId, twilio.AuthTokenProtected));
        if (twilio is null)
        {
            twilio = new TwilioIntegration
            {
                WorkspaceId = workspaceId, AccountSid = input.AccountSid, PhoneNumber = input.PhoneNumber,
                AuthTokenProtected = secrets.Protect(workspaceId, input.AuthToken!),
                Status = IntegrationStatuses.Active, CreatedAt = now,
            };
            db.TwilioIntegrations.Add(twilio);
        }
        twilio.AccountSid = input.AccountSid;
        twilio.PhoneNumber = input.PhoneNumber;
        if (input.AuthToken is not null) twilio.AuthTokenProtected = secrets.Protect(workspaceId, input.AuthToken);
        // New credentials get a fresh chance; a number change alone does not make rejected credentials work.
        if (credentialsChanged) twilio.Status = IntegrationStatuses.Active;
        twilio.UpdatedAt = now;
        announcements.Add(Change(workspaceId, twilio.Status, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Two first saves racing for the same workspace: the second is told to retry.
            return (null, new(ConfigProblems.ConcurrentUpdate, Texts.ConcurrentUpdate));
        }
        LogSaved(workspaceId, PhoneNumbers.Redact(twilio.PhoneNumber), input.AuthToken is not null);
        await announcements.PublishAsync(ct);
        return (twilio, null);
    }

    /// <summary>Removes the workspace's Twilio account; false when there was none.</summary>
    public async Task<bool> RemoveAsync(Guid workspaceId, CancellationToken ct)
    {
        var twilio = await FindAsync(workspaceId, ct);
        if (twilio is null) return false;
        db.TwilioIntegrations.Remove(twilio);
        announcements.Add(Change(workspaceId, IntegrationStatuses.Removed, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(ct);
        LogRemoved(workspaceId);
        await announcements.PublishAsync(ct);
        return true;
    }

    /// <summary>A test SMS went out: that proves failing credentials work again.</summary>
    public async Task ConfirmWorkingAsync(TwilioIntegration twilio, CancellationToken ct)
    {
        if (twilio.Status != IntegrationStatuses.Failing) return;
        twilio.Status = IntegrationStatuses.Active;
        twilio.UpdatedAt = DateTimeOffset.UtcNow;
        announcements.Add(Change(twilio.WorkspaceId, twilio.Status, twilio.UpdatedAt));
        await db.SaveChangesAsync(ct);
        await announcements.PublishAsync(ct);
    }

    /// <summary>
    /// Twilio refused the credentials at <paramref name="rejectedAt"/>: flags the account failing. False (nothing to do)
    /// when it is already flagged, removed, or its credentials were saved after the rejection (they get their own chance).
    /// </summary>
    /// <summary>
    /// Flags the credentials failing, unless the refusal was of another token than the one saved now (<paramref name="tokenFingerprint"/>,
    /// <see cref="Secrets.Fingerprint"/>): a send with the old token after a rotation says nothing of the new one.
    /// </summary>
    public async Task<bool> FlagRejectedAsync(Guid workspaceId, DateTimeOffset rejectedAt, string? tokenFingerprint, CancellationToken ct)
    {
        var twilio = await FindAsync(workspaceId, ct);
        if (twilio is null || twilio.Status == IntegrationStatuses.Failing || twilio.UpdatedAt > rejectedAt) return false;
        if (tokenFingerprint is not null && tokenFingerprint != Secrets.Fingerprint(secrets.Unprotect(workspaceId, twilio.AuthTokenProtected)))
            return false;

        twilio.Status = IntegrationStatuses.Failing;
        twilio.UpdatedAt = DateTimeOffset.UtcNow;
        // Committed with the flag: a redelivery returns early above, so the announcement must not depend on the publish.
        announcements.Add(Change(workspaceId, IntegrationStatuses.Failing, twilio.UpdatedAt));
        await db.SaveChangesAsync(ct);
        await announcements.PublishAsync(ct);
        return true;
    }

    public static readonly IntegrationRefusal NotConfigured = new(ConfigProblems.TwilioNotConfigured, Texts.TwilioNotConfigured);

    static IntegrationChanged Change(Guid workspaceId, string status, DateTimeOffset at) =>
        new(workspaceId, IntegrationKinds.Twilio, status, null, null, at);

    [LoggerMessage(4001, LogLevel.Information, "Saved Twilio settings for workspace {WorkspaceId} (from {PhoneNumber}, new token: {TokenChanged})")]
    partial void LogSaved(Guid workspaceId, string phoneNumber, bool tokenChanged);

    [LoggerMessage(4002, LogLevel.Information, "Removed Twilio settings of workspace {WorkspaceId}")]
    partial void LogRemoved(Guid workspaceId);
}
