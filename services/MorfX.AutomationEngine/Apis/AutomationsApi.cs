using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Apis;

/// <summary>
/// The wizard's automations API, scoped to the token's workspace (another workspace's automation is a 404).
/// Any member reads and validates; owners and admins (Policies.IntegrationsWrite) create, change, enable and delete,
/// since an automation sends messages on the workspace's behalf.
/// </summary>
public static class AutomationsApi
{
    public static IEndpointRouteBuilder MapAutomationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/automations").WithTags("Automations");
        api.MapPost("/validate", Validate).RequireAuthorization(Policies.WorkspaceRead).WithName("ValidateAutomation")
            .WithSummary("Validates a draft against the catalog and the workspace's integrations, as saving does").WithDescription(DraftRules)
            .WithRequestExample(RequestBodies.Automation).ProducesProblems(EngineProblems.DraftRefusals);
        api.MapGet("/", List).RequireAuthorization(Policies.WorkspaceRead).WithName("ListAutomations")
            .WithSummary("The workspace's automations, in the order they were created");
        api.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.WorkspaceRead).WithName("GetAutomation")
            .WithSummary("One automation: trigger, conditions, actions, purpose and send window").ProducesProblems(ProblemCode.NotFound);
        api.MapPost("/", Create).RequireAuthorization(Policies.IntegrationsWrite).WithName("CreateAutomation")
            .WithSummary("Creates an automation after validating it against the catalog and the workspace's integrations").WithDescription(DraftRules)
            .WithRequestExample(RequestBodies.Automation).ProducesProblems(EngineProblems.DraftRefusals);
        api.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.IntegrationsWrite).WithName("UpdateAutomation")
            .WithSummary("Replaces an automation after validating it again").WithDescription(DraftRules)
            .WithRequestExample(RequestBodies.Automation).ProducesProblems([ProblemCode.NotFound, .. EngineProblems.DraftRefusals]);
        api.MapDelete("/{id:guid}", Delete).RequireAuthorization(Policies.IntegrationsWrite).WithName("DeleteAutomation")
            .WithSummary("Deletes an automation; its waiting runs and queued SMS end skipped, as when disabled").ProducesProblems(ProblemCode.NotFound);
        api.MapPost("/{id:guid}/enable", Enable).RequireAuthorization(Policies.IntegrationsWrite).WithName("EnableAutomation")
            .WithSummary("Enables an automation after validating it again (integrations may have changed)")
            .ProducesProblems([ProblemCode.NotFound, .. EngineProblems.DraftRefusals]);
        api.MapPost("/{id:guid}/disable", Disable).RequireAuthorization(Policies.IntegrationsWrite).WithName("DisableAutomation")
            .WithSummary("Disables an automation and stops what it has not handed to Twilio: waiting runs and queued SMS end skipped (automation_disabled)")
            .ProducesProblems([ProblemCode.NotFound, .. EngineProblems.DraftRefusals]);
        api.MapGet("/{id:guid}/runs", Runs).RequireAuthorization(Policies.WorkspaceRead).WithName("ListAutomationRuns")
            .WithSummary("The automation's 100 most recent runs, newest first, each with its status and first error code")
            .ProducesProblems(ProblemCode.NotFound);
        api.MapGet("/{id:guid}/runs/{runId:guid}", Run).RequireAuthorization(Policies.WorkspaceRead).WithName("GetAutomationRun")
            .WithSummary("A run with each step's outcome: status, rendered text, error").ProducesProblems(ProblemCode.NotFound);
        return app;
    }

    // What the frontend maps to the draft's fields (each error also has a Spanish detail ready to show).
    const string DraftRules =
        "`purpose`: `transactional` (default) or `marketing` (`invalid_purpose`). `sendWindow`: `{start, end, days}` in the recipient's " +
        "local time, `HH:MM`, may cross midnight (`invalid_send_window_start`, `invalid_send_window_end`, `empty_send_window`, " +
        "`invalid_send_window_days` at `sendWindow.start|end|days`). Action `wait`: `config.minutes` 1-43200 (`invalid_wait_minutes`). " +
        "A refused draft is 400 with the errors' shared code, else `validation_failed`, and `errors: [{field, code, detail}]`.";

    /// <summary>The problem for a refused draft: its code when every error shares one (e.g. twilio_not_configured), else validation_failed.</summary>
    public static ProblemHttpResult Refused(IReadOnlyList<FieldError> errors) =>
        errors.Select(e => e.Code).Distinct().Count() == 1
            ? Problems.Of(400, errors[0].Code, errors.Count == 1 ? errors[0].Detail : string.Join(" ", errors.Select(e => e.Detail)), errors)
            : Problems.Validation(errors);

    static async Task<Results<Ok<ValidationResult>, ProblemHttpResult>> Validate(
        AutomationDraft draft, ClaimsPrincipal user, AutomationStore store, CancellationToken ct)
    {
        var errors = await store.CheckAsync(user.WorkspaceIdOf(), draft, draft.Enabled ?? true, null, ct);
        return errors.Count == 0 ? TypedResults.Ok(new ValidationResult(true, [])) : Refused(errors);
    }

    static async Task<Ok<List<AutomationDto>>> List(ClaimsPrincipal user, EngineDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var automations = await db.Automations.AsNoTracking().Where(a => a.WorkspaceId == workspaceId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(automations.Select(AutomationDto.From).ToList());
    }

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, AutomationStore store, CancellationToken ct) =>
        await store.FindAsync(user.WorkspaceIdOf(), id, ct) is { } a ? TypedResults.Ok(AutomationDto.From(a)) : NotFound();

    static async Task<Results<Created<AutomationDto>, ProblemHttpResult>> Create(
        AutomationDraft draft, ClaimsPrincipal user, AutomationStore store, CancellationToken ct)
    {
        var (created, errors) = await store.CreateAsync(user.WorkspaceIdOf(), draft, draft.Enabled ?? true, ct);
        return created is { } a ? TypedResults.Created($"/api/automations/{a.Id}", AutomationDto.From(a)) : Refused(errors);
    }

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Update(
        Guid id, AutomationDraft draft, ClaimsPrincipal user, AutomationStore store, CancellationToken ct)
    {
        if (await store.FindAsync(user.WorkspaceIdOf(), id, ct) is not { } a) return NotFound();
        var errors = await store.UpdateAsync(a, draft, ct);
        return errors.Count == 0 ? TypedResults.Ok(AutomationDto.From(a)) : Refused(errors);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, ClaimsPrincipal user, AutomationStore store, CancellationToken ct)
    {
        if (await store.FindAsync(user.WorkspaceIdOf(), id, ct) is not { } a) return NotFound();
        await store.DeleteAsync(a, ct);
        return TypedResults.NoContent();
    }

    static Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Enable(Guid id, ClaimsPrincipal user, AutomationStore store, CancellationToken ct) =>
        SetEnabledAsync(id, true, user, store, ct);

    static Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Disable(Guid id, ClaimsPrincipal user, AutomationStore store, CancellationToken ct) =>
        SetEnabledAsync(id, false, user, store, ct);

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> SetEnabledAsync(
        Guid id, bool enabled, ClaimsPrincipal user, AutomationStore store, CancellationToken ct)
    {
        if (await store.FindAsync(user.WorkspaceIdOf(), id, ct) is not { } a) return NotFound();
        var errors = await store.SetEnabledAsync(a, enabled, ct);
        return errors.Count == 0 ? TypedResults.Ok(AutomationDto.From(a)) : Refused(errors);
    }

    static async Task<Results<Ok<List<RunSummary>>, ProblemHttpResult>> Runs(Guid id, ClaimsPrincipal user, EngineDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        if (!await db.Automations.AnyAsync(a => a.Id == id && a.WorkspaceId == workspaceId, ct)) return NotFound();
        var runs = await db.Runs.AsNoTracking().Where(r => r.AutomationId == id && r.WorkspaceId == workspaceId)
            .OrderByDescending(r => r.StartedAt).Take(100)
            .Select(r => new
            {
                Run = r,
                Failure = r.Steps.Where(s => s.Status == RunStatuses.Failed || (r.Status == RunStatuses.Skipped && s.Status == RunStatuses.Skipped))
                    .OrderBy(s => s.StepIndex).Select(s => new { s.ErrorCode, s.Error }).FirstOrDefault(),
                ResumeAt = r.Steps.Where(s => s.Status == RunStatuses.Waiting).Select(s => s.ResumeAt).FirstOrDefault(),
            })
            .Select(x => new RunSummary(x.Run.Id, x.Run.AutomationId, x.Run.TriggerEventId, x.Run.Trigger, x.Run.Status, x.Run.StartedAt,
                x.Failure == null ? null : x.Failure.ErrorCode, x.Failure == null ? null : x.Failure.Error, x.ResumeAt))
            .ToListAsync(ct);
        return TypedResults.Ok(runs);
    }

    static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> Run(Guid id, Guid runId, ClaimsPrincipal user, EngineDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var run = await db.Runs.AsNoTracking().Include(r => r.Steps)
            .FirstOrDefaultAsync(r => r.Id == runId && r.AutomationId == id && r.WorkspaceId == workspaceId, ct);
        if (run is null) return Problems.NotFound(Texts.RunNotFound);
        return TypedResults.Ok(new RunDetail(run.Id, run.AutomationId, run.TriggerEventId, run.Trigger, run.Status, run.StartedAt,
            [.. run.Steps.OrderBy(s => s.StepIndex).Select(s => new RunStepDto(s.StepIndex, s.Action, s.Status, s.Output, s.ErrorCode, s.Error, s.ResultId, s.ResumeAt))]));
    }

    static ProblemHttpResult NotFound() => Problems.NotFound(Texts.AutomationNotFound);
}
