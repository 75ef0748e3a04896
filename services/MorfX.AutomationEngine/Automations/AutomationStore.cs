using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Every change to a workspace's automations, validated the same way whoever asks (the wizard's API or the AI builder):
/// the catalog validator, then the caps that need the database. A change that commits is announced through
/// <see cref="AutomationChanges"/>, so every instance's cache sees it.
/// </summary>
public sealed class AutomationStore(EngineDbContext db, EngineLimitsOptions limits, AutomationChanges changes, Outbox<EngineDbContext> outbox)
{
    public Task<Automation?> FindAsync(Guid workspaceId, Guid id, CancellationToken ct) =>
        db.Automations.FirstOrDefaultAsync(a => a.Id == id && a.WorkspaceId == workspaceId, ct);

    /// <summary>
    /// The validator, plus the cap that needs the database: at most <see cref="EngineLimitsOptions.MaxEnabledAutomationsPerTrigger"/>
    /// enabled automations of the workspace on one trigger (the automation being saved, <paramref name="id"/>, not counted).
    /// </summary>
    public async Task<List<FieldError>> CheckAsync(Guid workspaceId, AutomationDraft draft, bool enabled, Guid? id, CancellationToken ct)
    {
        var errors = AutomationValidator.Validate(draft, await db.IntegrationsOfAsync(workspaceId, ct), limits);
        if (errors.Count > 0 || !enabled) return errors;
        var others = await db.Automations.CountAsync(a => a.WorkspaceId == workspaceId && a.Trigger == draft.Trigger && a.Enabled && a.Id != id, ct);
        if (others >= limits.MaxEnabledAutomationsPerTrigger)
            errors.Add(new("enabled", AutomationValidator.Codes.TooManyEnabledAutomations,
                Texts.TooManyEnabledAutomations(others, limits.MaxEnabledAutomationsPerTrigger)));
        return errors;
    }

    /// <summary>Validates and saves a new automation in the workspace: the one path for the wizard and the AI builder.</summary>
    public async Task<(Automation? Automation, IReadOnlyList<FieldError> Errors)> CreateAsync(
        Guid workspaceId, AutomationDraft draft, bool enabled, CancellationToken ct)
    {
        var errors = await CheckAsync(workspaceId, draft, enabled, null, ct);
        if (errors.Count > 0) return (null, errors);
        var now = DateTimeOffset.UtcNow;
        var automation = new Automation
        {
            Id = Guid.CreateVersion7(), WorkspaceId = workspaceId, Name = "", Trigger = "", Conditions = "[]", Actions = "[]",
            Enabled = enabled, CreatedAt = now, UpdatedAt = now,
        };
        AutomationJson.Apply(draft, automation);
        db.Automations.Add(automation);
        await db.SaveChangesAsync(ct);
        // A disabled automation runs nowhere: no cache holds it yet.
        if (enabled) await changes.SavedAsync(workspaceId, ct);
        return (automation, []);
    }

    /// <summary>Replaces the automation with the draft (its enabled state kept unless the draft sets it); the errors when refused.</summary>
    public async Task<IReadOnlyList<FieldError>> UpdateAsync(Automation automation, AutomationDraft draft, CancellationToken ct)
    {
        var errors = await CheckAsync(automation.WorkspaceId, draft, draft.Enabled ?? automation.Enabled, automation.Id, ct);
        if (errors.Count > 0) return errors;
        if (automation.Enabled && draft.Enabled == false)
        {
            await StopWaitingRunsAsync(automation, ct);
            AnnounceStop(automation);
        }
        AutomationJson.Apply(draft, automation);
        automation.Enabled = draft.Enabled ?? automation.Enabled;
        await SaveAsync(automation, ct);
        return [];
    }

    /// <summary>The automation and its run history (its waiting runs with it); what it asked sms-sender for is stopped.</summary>
    public async Task DeleteAsync(Automation automation, CancellationToken ct)
    {
        await db.Runs.Where(r => r.AutomationId == automation.Id && r.WorkspaceId == automation.WorkspaceId).ExecuteDeleteAsync(ct);
        db.Automations.Remove(automation);
        AnnounceStop(automation);
        await db.SaveChangesAsync(ct);
        await outbox.FlushAsync(ct);
        await changes.SavedAsync(automation.WorkspaceId, ct);
    }

    /// <summary>Enabling validates again (the workspace's integrations may have changed since it was saved); disabling always succeeds.</summary>
    public async Task<IReadOnlyList<FieldError>> SetEnabledAsync(Automation automation, bool enabled, CancellationToken ct)
    {
        if (enabled)
        {
            var draft = new AutomationDraft(automation.Name, automation.Trigger, AutomationJson.Conditions(automation), AutomationJson.Actions(automation),
                Purpose: automation.Purpose, SendWindow: AutomationJson.SendWindow(automation));
            var errors = await CheckAsync(automation.WorkspaceId, draft, true, automation.Id, ct);
            if (errors.Count > 0) return errors;
        }
        else if (automation.Enabled)
        {
            await StopWaitingRunsAsync(automation, ct);
            AnnounceStop(automation);
        }
        automation.Enabled = enabled;
        await SaveAsync(automation, ct);
        return [];
    }

    /// <summary>
    /// The stop button, here: the automation's waiting runs (a wait, an SMS held by its window) end skipped with
    /// automation_disabled, in one statement; re-enabling does not bring them back.
    /// </summary>
    Task StopWaitingRunsAsync(Automation automation, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
        WITH stopped AS (DELETE FROM run_waits WHERE automation_id = {automation.Id} RETURNING run_id),
        steps AS (
            UPDATE automation_run_steps AS s SET status = {RunStatuses.Skipped}, error_code = {SmsSkipped.AutomationDisabled},
                error = {Texts.SmsAutomationDisabled}
            FROM stopped WHERE s.run_id = stopped.run_id AND s.status = {RunStatuses.Waiting})
        UPDATE automation_runs AS r SET status = {RunStatuses.Skipped} FROM stopped WHERE r.id = stopped.run_id
        """, ct);

    /// <summary>…and at sms-sender: its SMS requested until now that Twilio has not taken are not sent (written with the save).</summary>
    void AnnounceStop(Automation automation)
    {
        var stop = new AutomationStopped(automation.WorkspaceId, automation.Id, DateTimeOffset.UtcNow);
        outbox.Add(Guid.CreateVersion7(), stop);
    }

    async Task SaveAsync(Automation automation, CancellationToken ct)
    {
        automation.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await outbox.FlushAsync(ct);
        await changes.SavedAsync(automation.WorkspaceId, ct);
    }
}
