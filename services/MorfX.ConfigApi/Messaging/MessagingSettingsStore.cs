using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Integrations;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;

namespace MorfX.ConfigApi.Messaging;

/// <summary>
/// A workspace's messaging settings: read (the defaults until it saves) and save. A save and its WorkspaceMessagingChanged
/// commit together through the outbox, so the engine always learns the saved settings.
/// </summary>
public sealed partial class MessagingSettingsStore(
    ConfigDbContext db, Outbox<ConfigDbContext> outbox, TimeProvider clock, ILogger<MessagingSettingsStore> logger)
{
    public async Task<MessagingSettings> FindAsync(Guid workspaceId, CancellationToken ct) =>
        await db.WorkspaceMessagingSettings.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct) is { } row
            ? ToSettings(row)
            : MessagingSettings.Default;

    /// <summary>Validates and saves the form; the saved settings, or why nothing was saved.</summary>
    public async Task<(MessagingSettings? Settings, IntegrationRefusal? Refusal)> SaveAsync(
        Guid workspaceId, MessagingSettingsRequest request, CancellationToken ct)
    {
        var (settings, errors) = MessagingValidation.Validate(request);
        if (settings is null) return (null, IntegrationRefusal.Invalid(errors));

        var now = clock.GetUtcNow();
        var row = await db.WorkspaceMessagingSettings.FindAsync([workspaceId], ct);
        if (row is null)
        {
            row = new WorkspaceMessagingSettings
            {
                WorkspaceId = workspaceId, MarketingWindowStart = "", MarketingWindowEnd = "", MarketingWindowDays = [], CreatedAt = now,
            };
            db.WorkspaceMessagingSettings.Add(row);
        }
        (row.MarketingWindowStart, row.MarketingWindowEnd, row.MarketingWindowDays) =
            (settings.MarketingWindow.Start, settings.MarketingWindow.End, [.. settings.MarketingWindow.Days]);
        (row.FrequencyCapMaxMessages, row.FrequencyCapPeriodDays) =
            (settings.MarketingFrequencyCap?.MaxMessages, settings.MarketingFrequencyCap?.PeriodDays);
        row.UpdatedAt = now;
        var change = new WorkspaceMessagingChanged(workspaceId, settings.MarketingWindow, settings.MarketingFrequencyCap, now);
        outbox.Add(DeterministicGuid.Create(workspaceId, $"workspace-messaging-changed:{now.UtcTicks}"), change);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Two first saves racing for the same workspace: the second is told to retry.
            outbox.Discard();
            return (null, new(ConfigProblems.ConcurrentUpdate, Texts.ConcurrentUpdate));
        }
        LogSaved(workspaceId, settings.MarketingWindow.Start, settings.MarketingWindow.End, string.Join(",", settings.MarketingWindow.Days),
            settings.MarketingFrequencyCap?.MaxMessages, settings.MarketingFrequencyCap?.PeriodDays);
        await outbox.FlushAsync(ct);
        return (settings, null);
    }

    static MessagingSettings ToSettings(WorkspaceMessagingSettings row) => new(
        new SendWindow(row.MarketingWindowStart, row.MarketingWindowEnd, row.MarketingWindowDays),
        row.FrequencyCapMaxMessages is { } max && row.FrequencyCapPeriodDays is { } days ? new MarketingFrequencyCap(max, days) : null);

    [LoggerMessage(6101, LogLevel.Information,
        "Saved messaging settings for workspace {WorkspaceId}: marketing window {Start}-{End} on {Days}, cap {MaxMessages} in {PeriodDays} days")]
    partial void LogSaved(Guid workspaceId, string start, string end, string days, int? maxMessages, int? periodDays);
}
