using System.Globalization;
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

    record StepRun(TriggerRun Trigger, Automation Automation, AutomationRun Run, int Index, WorkspaceIntegrations Integrations)
    {
        /// <summary>Deterministic per (event, automation, step): the SmsRequested.RequestId and the ids of what the step creates.</summary>
        public Guid Id(string purpose = "") => DeterministicGuid.Create(Trigger.EventId, $"{Automation.Id}:{Index}{purpose}");
        public int ChildDepth => Trigger.Depth + 1;
    }

    async Task<AutomationRunStep> ExecuteAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        try
        {
            return step.Type switch
            {
                Actions.SendSms => await SendSmsAsync(s, step, ct),
                Actions.SendWhatsApp => SendWhatsApp(s, step),
                Actions.CreateContact => await CreateContactAsync(s, step, ct),
                Actions.UpdateContact => await UpdateContactAsync(s, step, ct),
                Actions.CreateOrder => await CreateOrderAsync(s, step, ct),
                Actions.AddTag => await AddTagAsync(s, step, ct),
                Actions.CreateTask => await CreateTaskAsync(s, step, ct),
                Actions.Wait => await WaitAsync(s, step, ct),
                _ => Failed(s, AutomationValidator.Codes.UnknownAction, Texts.ActionNoLongerExists(step.Type)),
            };
        }
        catch (TemplateException e)
        {
            return Failed(s, e.Code, e.Code == AutomationValidator.Codes.InvalidTemplate ? Texts.TemplateInvalid(e.Message) : e.Message);
        }
    }

    string Render(StepRun s, string? template) =>
        string.IsNullOrEmpty(template) ? "" : TemplateRenderer.Render(template, s.Trigger.Data, limits);

    static AutomationRunStep Succeeded(StepRun s, string? output, Guid? resultId) =>
        new() { Id = s.Id(":step"), RunId = s.Run.Id, StepIndex = s.Index, Action = "", Status = RunStatuses.Succeeded, Output = output, ResultId = resultId };

    static AutomationRunStep Failed(StepRun s, string code, string error, string? output = null) =>
        new() { Id = s.Id(":step"), RunId = s.Run.Id, StepIndex = s.Index, Action = "", Status = RunStatuses.Failed, ErrorCode = code, Error = error, Output = output };

    static AutomationRunStep Skipped(StepRun s, string code, string reason, string? output = null) =>
        new() { Id = s.Id(":step"), RunId = s.Run.Id, StepIndex = s.Index, Action = "", Status = RunStatuses.Skipped, ErrorCode = code, Error = reason, Output = output };

    static AutomationRunStep Waiting(StepRun s, DateTimeOffset resumeAt, string output) =>
        new() { Id = s.Id(":step"), RunId = s.Run.Id, StepIndex = s.Index, Action = "", Status = RunStatuses.Waiting, ResumeAt = resumeAt, Output = output };

    /// <summary>A wait: the run goes on after it, unless the workspace already has its cap of waiting runs.</summary>
    async Task<AutomationRunStep> WaitAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var minutes = int.Parse(step.Text("minutes") ?? "", CultureInfo.InvariantCulture);
        var waiting = await db.RunWaits.Where(w => w.WorkspaceId == s.Trigger.WorkspaceId).Take(limits.MaxWaitingRunsPerWorkspace).CountAsync(ct);
        if (waiting >= limits.MaxWaitingRunsPerWorkspace)
            return Failed(s, Codes.WaitLimitReached, Texts.WaitLimitReached(limits.MaxWaitingRunsPerWorkspace));
        var resumeAt = DateTimeOffset.UtcNow.AddMinutes(minutes);
        return Waiting(s, resumeAt, Texts.WaitingUntil(resumeAt));
    }

    async Task<AutomationRunStep> SendSmsAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        if (!s.Integrations.TwilioActive)
            return Failed(s, AutomationValidator.Codes.TwilioNotConfigured, Texts.SmsTwilioNotConfigured);
        var to = Render(s, step.Text("to")).Trim();
        string body;
        try
        {
            body = Render(s, step.Text("body"));
        }
        catch (TemplateException e) when (e.Code == TemplateBounds.Codes.TemplateOutputTooLong)
        {
            // For an SMS the actionable limit is Twilio's, not the renderer's.
            return Failed(s, AutomationValidator.Codes.TooLong("body"),
                Texts.SmsRenderedTooLong(limits.RenderedMaxLength, SmsMaxLength));
        }
        if (to.Length == 0)
            return Failed(s, AutomationValidator.Codes.NoPhone, Texts.SmsNoPhone, body);
        if (!PhoneNumbers.IsE164(to))
            return Failed(s, AutomationValidator.Codes.InvalidPhone, Texts.RecipientPhoneInvalid(PhoneNumbers.Redact(to)), body);
        if (body.Length == 0)
            return Failed(s, "empty_body", Texts.MessageEmpty);
        if (body.Length > SmsMaxLength)
            return Failed(s, AutomationValidator.Codes.TooLong("body"),
                Texts.SmsBodyTooLong(body.Length, SmsMaxLength));
        var media = step.List("mediaUrls").Select(u => Render(s, u)).Where(u => u.Length > 0).ToList();
        if (media.FirstOrDefault(u => !HttpUrls.IsAbsoluteHttp(u)) is { } badUrl)
            return Failed(s, AutomationValidator.Codes.InvalidMediaUrl, Texts.UrlInvalid(badUrl), body);

        var requestId = s.Id();
        // Only what has a window or is marketing reads the workspace's settings and the recipient's consent.
        var marketing = s.Automation.Purpose == Purposes.Marketing;
        var window = AutomationJson.SendWindow(s.Automation);
        if (marketing || window is not null)
        {
            var messaging = await cache.MessagingAsync(db, s.Trigger.WorkspaceId, ct);
            if (marketing && await MarketingRefusalAsync(s, to, requestId, messaging, body, ct) is { } refused) return refused;
            if (s.Index != s.Trigger.ReleasedStep && (window ?? (marketing ? messaging.MarketingWindow : null)) is { } w
                && WeeklyWindow.Parse(w.Start, w.End, w.Days).Window?.NextOpening(DateTimeOffset.UtcNow, RecipientTimeZones.For(to, s.Integrations.ShopTimezone)) is { } opening)
                return Waiting(s, opening, Texts.HeldByWindow(opening));
            if (marketing) db.MarketingSends.Add(new MarketingSend { RequestId = requestId, WorkspaceId = s.Trigger.WorkspaceId, Phone = to, SentAt = DateTimeOffset.UtcNow });
        }
        outbox.Add(requestId, new SmsRequested(requestId, s.Trigger.WorkspaceId, to, body, media,
            new SmsOrigin(SmsOrigin.Automation, s.Automation.Id, s.Run.Id, s.Trigger.EventId), DateTimeOffset.UtcNow)
        {
            DueAt = s.Trigger.ResumedFrom,
        });
        LogSmsRequested(requestId, s.Automation.Id, PhoneNumbers.Redact(to));
        return Succeeded(s, body, requestId);
    }

    /// <summary>
    /// Why a marketing SMS may not go to this recipient, or null: it needs SMS marketing consent (the latest of Shopify's and
    /// an inbound START/ALTA), and the workspace's frequency cap, when it set one, must leave room.
    /// </summary>
    async Task<AutomationRunStep?> MarketingRefusalAsync(StepRun s, string to, Guid requestId, WorkspaceMessaging messaging, string body, CancellationToken ct)
    {
        var workspaceId = s.Trigger.WorkspaceId;
        if (!await db.SmsConsents.AnyAsync(c => c.WorkspaceId == workspaceId && c.Phone == to && c.Subscribed, ct))
            return Skipped(s, Codes.NoMarketingConsent, Texts.NoMarketingConsent, body);
        if (messaging.FrequencyCap is { } cap)
        {
            var since = DateTimeOffset.UtcNow.AddDays(-cap.PeriodDays);
            var sent = await db.MarketingSends.CountAsync(m => m.WorkspaceId == workspaceId && m.Phone == to && m.SentAt > since && m.RequestId != requestId, ct);
            if (sent >= cap.MaxMessages) return Skipped(s, Codes.FrequencyCapped, Texts.FrequencyCapped(cap.MaxMessages, cap.PeriodDays), body);
        }
        return null;
    }

    AutomationRunStep SendWhatsApp(StepRun s, ActionStep step)
    {
        var to = Render(s, step.Text("to"));
        var body = Render(s, step.Text("body"));
        if (!PhoneNumbers.IsE164(to))
            return Failed(s, AutomationValidator.Codes.InvalidPhone, Texts.RecipientPhoneInvalid(PhoneNumbers.Redact(to)), body);
        if (body.Length == 0)
            return Failed(s, "empty_body", Texts.MessageEmpty);
        var requestId = s.Id();
        outbox.Add(requestId, new SendWhatsAppRequested(requestId, s.Trigger.WorkspaceId, to, body, s.Automation.Id, s.Run.Id));
        return Succeeded(s, body, requestId);
    }

    async Task<AutomationRunStep> CreateContactAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var phone = Render(s, step.Text("phone"));
        if (phone.Length > 0 && !PhoneNumbers.IsE164(phone))
            return Failed(s, AutomationValidator.Codes.InvalidPhone, Texts.PhoneInvalid(PhoneNumbers.Redact(phone)));
        var email = NullIfEmpty(Render(s, step.Text("email"))?.ToLowerInvariant());
        // One contact per phone and per email in a workspace: an existing one is the contact this step means.
        if (await FindByPhoneOrEmailAsync(s.Trigger.WorkspaceId, NullIfEmpty(phone), email, ct) is { } existing)
            return Succeeded(s, existing.Name, existing.Id);
        var now = DateTimeOffset.UtcNow;
        var contact = new Contact
        {
            Id = s.Id(), WorkspaceId = s.Trigger.WorkspaceId, Name = NullIfEmpty(Render(s, step.Text("name"))),
            Email = email, Phone = NullIfEmpty(phone),
            Source = Order.AutomationSource, CreatedAt = now, UpdatedAt = now,
        };
        db.Contacts.Add(contact);
        await fanOut.AddAsync(new CrmContactCreated(s.Id(":event"), s.Trigger.WorkspaceId, now, contact.ToMessage(), s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, contact.Name, contact.Id);
    }

    async Task<AutomationRunStep> UpdateContactAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        if (await FindContactAsync(s, step, ct) is not { } contact)
            return Failed(s, "contact_not_found", Texts.ContactToUpdateNotFound);
        var phone = Render(s, step.Text("phone"));
        if (phone.Length > 0 && !PhoneNumbers.IsE164(phone))
            return Failed(s, AutomationValidator.Codes.InvalidPhone, Texts.PhoneInvalid(PhoneNumbers.Redact(phone)));
        var email = NullIfEmpty(Render(s, step.Text("email")).ToLowerInvariant());
        if (await FindByPhoneOrEmailAsync(s.Trigger.WorkspaceId, NullIfEmpty(phone), email, ct) is { } other && other.Id != contact.Id)
            return Failed(s, "duplicate_contact", Texts.DuplicateContact);
        contact.Name = NullIfEmpty(Render(s, step.Text("name"))) ?? contact.Name;
        contact.Email = email ?? contact.Email;
        contact.Phone = NullIfEmpty(phone) ?? contact.Phone;
        contact.UpdatedAt = DateTimeOffset.UtcNow;
        return Succeeded(s, contact.Name, contact.Id);
    }

    async Task<AutomationRunStep> CreateOrderAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var totalText = Render(s, step.Text("total"));
        if (!decimal.TryParse(totalText, NumberStyles.Number, CultureInfo.InvariantCulture, out var total))
            return Failed(s, AutomationValidator.Codes.InvalidNumber, Texts.TotalNotNumber(totalText));
        Contact? contact = null;
        if (Render(s, step.Text("contactId")).Length > 0 && (contact = await FindContactAsync(s, step, ct)) is null)
            return Failed(s, "contact_not_found", Texts.OrderContactNotFound);
        var now = DateTimeOffset.UtcNow;
        var order = new Order
        {
            Id = s.Id(), WorkspaceId = s.Trigger.WorkspaceId, ContactId = contact?.Id, Source = Order.AutomationSource,
            Number = NullIfEmpty(Render(s, step.Text("number"))), Total = total, Currency = NullIfEmpty(Render(s, step.Text("currency"))),
            CreatedAt = now, UpdatedAt = now,
        };
        db.Orders.Add(order);
        await fanOut.AddAsync(new CrmOrderCreated(s.Id(":event"), s.Trigger.WorkspaceId, now, order.ToMessage(), contact?.ToMessage(), s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, order.Number ?? order.Total?.ToString(CultureInfo.InvariantCulture), order.Id);
    }

    async Task<AutomationRunStep> AddTagAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        if (await FindContactAsync(s, step, ct) is not { } contact)
            return Failed(s, "contact_not_found", Texts.ContactNotFound);
        var tag = Render(s, step.Text("tag"));
        if (tag.Length == 0) return Failed(s, "empty_tag", Texts.TagEmpty);
        if (contact.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)) return Succeeded(s, tag, contact.Id);

        contact.Tags = [.. contact.Tags, tag];
        contact.UpdatedAt = DateTimeOffset.UtcNow;
        await fanOut.AddAsync(new CrmTagAdded(s.Id(":event"), s.Trigger.WorkspaceId, contact.UpdatedAt, contact.ToMessage(), tag, s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, tag, contact.Id);
    }

    async Task<AutomationRunStep> CreateTaskAsync(StepRun s, ActionStep step, CancellationToken ct)
    {
        var title = Render(s, step.Text("title"));
        if (title.Length == 0) return Failed(s, "empty_title", Texts.TaskTitleEmpty);
        var dueText = Render(s, step.Text("dueInHours"));
        var now = DateTimeOffset.UtcNow;
        var task = new TaskItem
        {
            Id = s.Id(), WorkspaceId = s.Trigger.WorkspaceId, Title = title, Description = NullIfEmpty(Render(s, step.Text("description"))),
            ContactId = Guid.TryParse(Render(s, step.Text("contactId")), out var contactId) ? contactId : null,
            DueAt = double.TryParse(dueText, NumberStyles.Number, CultureInfo.InvariantCulture, out var hours) ? now.AddHours(hours) : null,
            CreatedAt = now,
        };
        db.Tasks.Add(task);
        await fanOut.AddAsync(new TaskCreated(s.Id(":event"), s.Trigger.WorkspaceId, now, task.ToMessage(), s.ChildDepth, s.Trigger.RootEventId) { Shopify = s.Trigger.Shopify }, ct);
        return Succeeded(s, title, task.Id);
    }

    async Task<Contact?> FindContactAsync(StepRun s, ActionStep step, CancellationToken ct) =>
        Guid.TryParse(Render(s, step.Text("contactId")), out var id) && await db.Contacts.FindAsync([id], ct) is { } c
            && c.WorkspaceId == s.Trigger.WorkspaceId ? c : null;

    async Task<Contact?> FindByPhoneOrEmailAsync(Guid workspaceId, string? phone, string? email, CancellationToken ct) =>
        phone is null && email is null ? null
        : await db.Contacts.FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && ((phone != null && c.Phone == phone) || (email != null && c.Email == email)), ct);

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

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
