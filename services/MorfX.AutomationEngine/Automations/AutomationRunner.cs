using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using static MorfX.AutomationEngine.Automations.AutomationValidator;
using static MorfX.AutomationEngine.Catalog.AutomationCatalog;

namespace MorfX.AutomationEngine.Automations;

/// <summary>
/// Runs every enabled automation of the workspace whose trigger matches and whose conditions hold, once per
/// (trigger event, automation). Writes go to the caller's DbContext (saved by the caller in one transaction);
/// messages go through the consume context's outbox, so they leave only when the consumer succeeds.
/// </summary>
public sealed partial class AutomationRunner(
    EngineDbContext db, Outbox<EngineDbContext> outbox, FanOutEvents fanOut, EngineMetrics metrics, EngineLimitsOptions limits, WorkspaceCache cache, ILogger<AutomationRunner> logger)
{
    public Task RunAsync(TriggerRun trigger, CancellationToken ct) => RunAsync([trigger], ct);

    /// <summary>
    /// Runs a batch of trigger events: automations and integrations come from <see cref="WorkspaceCache"/>, and which runs
    /// already exist (an event redelivered after a partial failure) is one query for the whole batch.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<TriggerRun> triggers, CancellationToken ct)
    {
        var planned = new List<(TriggerRun Trigger, IReadOnlyList<Automation> Automations)>();
        foreach (var trigger in triggers)
        {
            // The loop guard: events deeper than the fan-out depth (an automation's CRM action triggering automations…) start nothing.
            if (trigger.Depth > limits.MaxFanOutDepth)
            {
                LogLoopGuard(trigger.EventId, trigger.Trigger, trigger.Depth);
                continue;
            }
            // Enabled automations per trigger are capped at save; the cache's bound also holds for those saved before the cap.
            var automations = await cache.EnabledAutomationsAsync(db, trigger.WorkspaceId, trigger.Trigger, ct);
            if (automations.Count > 0) planned.Add((trigger, automations));
        }
        if (planned.Count == 0) return;
        var eventIds = planned.Select(p => p.Trigger.EventId).ToList();
        var existing = (await db.Runs.Where(r => eventIds.Contains(r.TriggerEventId)).Select(r => new { r.TriggerEventId, r.AutomationId }).ToListAsync(ct))
            .Select(r => (r.TriggerEventId, r.AutomationId)).ToHashSet();
        foreach (var (trigger, automations) in planned)
            await RunAsync(trigger, automations, existing, ct);
    }

    async Task RunAsync(TriggerRun trigger, IReadOnlyList<Automation> automations, HashSet<(Guid, Guid)> existing, CancellationToken ct)
    {
        var budget = await RootBudgetAsync(trigger, ct);
        if (budget <= 0)
        {
            LogBudgetSpent(trigger.EventId, trigger.Trigger, trigger.RootEventId, limits.MaxRunsPerRootEvent);
            return;
        }

        var fields = TemplateData.Flatten(trigger.Data);
        var integrations = await cache.IntegrationsAsync(db, trigger.WorkspaceId, ct);
        foreach (var automation in automations)
        {
            if (!ConditionEvaluator.All(AutomationJson.Conditions(automation), fields, trigger.Previous)) continue;
            if (existing.Contains((trigger.EventId, automation.Id))) continue;
            if (budget-- <= 0)
            {
                LogBudgetSpent(trigger.EventId, trigger.Trigger, trigger.RootEventId, limits.MaxRunsPerRootEvent);
                break;
            }

            var run = new AutomationRun
            {
                Id = DeterministicGuid.Create(trigger.EventId, $"run:{automation.Id}"),
                WorkspaceId = trigger.WorkspaceId, AutomationId = automation.Id, TriggerEventId = trigger.EventId,
                Trigger = trigger.Trigger, Status = RunStatuses.Succeeded, StartedAt = DateTimeOffset.UtcNow,
                ShopifyOrderId = trigger.ShopifyOrderId, ShopifyCustomerId = trigger.ShopifyCustomerId, RootEventId = trigger.RootEventId,
            };
            db.Runs.Add(run);
            await ContinueAsync(trigger, automation, run, 0, integrations, ct);
        }
    }

    /// <summary>
    /// Runs the automation's steps from <paramref name="from"/> on, until the end or a step that waits (a wait action, or an
    /// SMS outside its send window): the run then waits (<see cref="RunWait"/>) for <see cref="RunResumer"/> to go on.
    /// </summary>
    async Task ContinueAsync(TriggerRun trigger, Automation automation, AutomationRun run, int from, WorkspaceIntegrations integrations, CancellationToken ct)
    {
        // Actions per automation are capped at save; the bound also holds for automations saved before the cap.
        var steps = AutomationJson.Actions(automation).Take(limits.MaxActionsPerAutomation).ToList();
        for (var i = from; i < steps.Count; i++)
        {
            var step = new StepRun(trigger, automation, run, i, integrations);
            var outcome = await ExecuteAsync(step, steps[i], ct);
            outcome.Action = steps[i].Type ?? "";
            // A step that waited (an SMS held by its window) is written again with what it did this time.
            if (run.Steps.FirstOrDefault(x => x.StepIndex == i) is { } earlier) earlier.CopyFrom(outcome);
            else
            {
                run.Steps.Add(outcome);
                // A resumed run is tracked as stored: its new steps are inserts (their ids are set, so EF would take them for updates).
                db.RunSteps.Add(outcome);
            }
            metrics.Step(outcome.Action, outcome.Status);
            if (outcome.Status == RunStatuses.Failed) run.Status = RunStatuses.Failed;
            // What comes after a wait that could not wait must not run early.
            if (outcome.Status == RunStatuses.Failed && outcome.Action == Actions.Wait) break;
            if (outcome.Status == RunStatuses.Waiting)
            {
                run.Status = RunStatuses.Waiting;
                var isWait = outcome.Action == Actions.Wait;
                db.RunWaits.Add(new RunWait
                {
                    RunId = run.Id, WorkspaceId = run.WorkspaceId, AutomationId = automation.Id, NextStep = isWait ? i + 1 : i,
                    Kind = isWait ? RunWait.Wait : RunWait.Window, ResumeAt = outcome.ResumeAt!.Value, Depth = trigger.Depth,
                    Data = AutomationJson.Serialize(trigger.Data), CreatedAt = DateTimeOffset.UtcNow,
                });
                LogRunWaits(automation.Id, trigger.EventId, outcome.ResumeAt.Value);
                return;
            }
        }
        metrics.Run(trigger.Trigger, run.Status);
        LogRun(automation.Id, trigger.EventId, run.Status);
    }

    /// <summary>
    /// Goes on with a run whose wait is over (<see cref="RunResumer"/>, in its transaction). The automation must still be
    /// enabled, and the wait not more than <see cref="EngineLimitsOptions.ExpireAfter"/> overdue. After a wait action the conditions
    /// are evaluated again on the order's latest known state (a cancelled order ends the run).
    /// </summary>
    public async Task ResumeAsync(RunWait wait, CancellationToken ct)
    {
        var run = await db.Runs.Include(r => r.Steps).FirstAsync(r => r.Id == wait.RunId, ct);
        var automation = await db.Automations.FirstOrDefaultAsync(a => a.Id == wait.AutomationId, ct);
        var waiting = run.Steps.Where(x => x.Status == RunStatuses.Waiting).MinBy(x => x.StepIndex);
        var data = TemplateData.FromJson(JsonDocument.Parse(wait.Data).RootElement);
        if (automation is not { Enabled: true })
        {
            Stop(run, waiting, SmsSkipped.AutomationDisabled, Texts.SmsAutomationDisabled);
            return;
        }
        if (DateTimeOffset.UtcNow - wait.ResumeAt > limits.ExpireAfter)
        {
            Stop(run, waiting, SmsSkipped.Expired, Texts.SmsExpired);
            return;
        }
        if (wait.Kind == RunWait.Wait)
        {
            var latest = await LatestStateAsync(run, data, ct);
            if (TriggerVariables.IsCancelled(latest))
            {
                Stop(run, waiting, Codes.OrderCancelled, Texts.OrderCancelled);
                return;
            }
            if (!ConditionEvaluator.All(AutomationJson.Conditions(automation), latest, previous: null))
            {
                Stop(run, waiting, Codes.ConditionsNoLongerMet, Texts.ConditionsNoLongerMet);
                return;
            }
            if (waiting is not null) waiting.Status = RunStatuses.Succeeded;
        }
        run.Status = run.Steps.Any(x => x.Status == RunStatuses.Failed) ? RunStatuses.Failed : RunStatuses.Succeeded;
        var trigger = new TriggerRun(run.TriggerEventId, run.WorkspaceId, run.Trigger, wait.Depth, data, null)
        {
            ShopifyOrderId = run.ShopifyOrderId, ShopifyCustomerId = run.ShopifyCustomerId, RootEventId = run.RootEventId ?? run.TriggerEventId,
            ResumedFrom = wait.ResumeAt, ReleasedStep = wait.Kind == RunWait.Window ? wait.NextStep : null,
        };
        await ContinueAsync(trigger, automation, run, wait.NextStep, await cache.IntegrationsAsync(db, run.WorkspaceId, ct), ct);
    }

    /// <summary>What a run resumed after a wait checks its conditions on: the order's latest copy when there is one, else its own data.</summary>
    async Task<IReadOnlyDictionary<string, string?>> LatestStateAsync(AutomationRun run, Dictionary<string, object?> data, CancellationToken ct)
    {
        if (run.ShopifyOrderId is { } orderId
            && await db.LastShopifyOrders.AsNoTracking().FirstOrDefaultAsync(o => o.WorkspaceId == run.WorkspaceId && o.ShopifyOrderId == orderId, ct) is { } last)
            return JsonSerializer.Deserialize<Dictionary<string, string?>>(last.Fields)!;
        return TemplateData.Flatten(data);
    }

    /// <summary>A waiting run that does not go on: its waiting step, and the run, end skipped with the reason.</summary>
    void Stop(AutomationRun run, AutomationRunStep? waiting, string code, string reason)
    {
        run.Status = RunStatuses.Skipped;
        if (waiting is not null)
        {
            waiting.Status = RunStatuses.Skipped;
            waiting.ErrorCode = code;
            waiting.Error = reason;
        }
        metrics.Run(run.Trigger, run.Status);
        LogRunStopped(run.Id, code);
    }

    /// <summary>
    /// Runs one root event may still cause: a root event itself is not limited beyond its automations; an event it fanned
    /// out to (depth ≥ 1) gets what its root's earlier runs left (counted across instances, so concurrent fan-out events
    /// of one root may overshoot by the runs they start at the same moment).
    /// </summary>
    async Task<int> RootBudgetAsync(TriggerRun trigger, CancellationToken ct) =>
        trigger.Depth == 0 ? int.MaxValue
        : limits.MaxRunsPerRootEvent - await db.Runs.CountAsync(r => r.RootEventId == trigger.RootEventId, ct);

    [LoggerMessage(2001, LogLevel.Debug, "Automation {AutomationId} ran for event {EventId}: {Status}")]
    partial void LogRun(Guid automationId, Guid eventId, string status);

    [LoggerMessage(2002, LogLevel.Debug, "SmsRequested {RequestId} by automation {AutomationId} to {To}")]
    partial void LogSmsRequested(Guid requestId, Guid automationId, string to);

    [LoggerMessage(2005, LogLevel.Debug, "Automation {AutomationId} for event {EventId} waits until {ResumeAt}")]
    partial void LogRunWaits(Guid automationId, Guid eventId, DateTimeOffset resumeAt);

    [LoggerMessage(2006, LogLevel.Information, "Run {RunId} does not go on after its wait: {Code}")]
    partial void LogRunStopped(Guid runId, string code);

    [LoggerMessage(2003, LogLevel.Warning, "Loop guard: event {EventId} ({Trigger}) at depth {Depth} starts no automation")]
    partial void LogLoopGuard(Guid eventId, string trigger, int depth);

    [LoggerMessage(2004, LogLevel.Warning, "Fan-out budget: event {EventId} ({Trigger}) of root {RootEventId} starts no more automations ({Budget} runs per root event)")]
    partial void LogBudgetSpent(Guid eventId, string trigger, Guid rootEventId, int budget);
}
