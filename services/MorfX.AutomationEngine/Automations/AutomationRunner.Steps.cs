using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using static MorfX.AutomationEngine.Automations.AutomationValidator;
using static MorfX.AutomationEngine.Catalog.AutomationCatalog;

namespace MorfX.AutomationEngine.Automations;

// The steps an automation runs: each returns what it did as its run step; messages leave through the outbox.
public sealed partial class AutomationRunner
{
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

}
