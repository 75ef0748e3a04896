using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Apis;

public record ValidationResult(bool Valid, IReadOnlyList<FieldError> Errors);

/// <summary>A run in the list; ErrorCode and Error are the first failed step's, so the list already says why a run failed.</summary>
public record RunSummary(Guid Id, Guid AutomationId, Guid TriggerEventId, string Trigger, string Status, DateTimeOffset StartedAt, string? ErrorCode, string? Error);

public record RunStepDto(int Index, string Action, string Status, string? Output, string? ErrorCode, string? Error, Guid? ResultId);

public record RunDetail(Guid Id, Guid AutomationId, Guid TriggerEventId, string Trigger, string Status, DateTimeOffset StartedAt, IReadOnlyList<RunStepDto> Steps);

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
            .WithSummary("Validates a draft against the catalog and the workspace's integrations, as saving does");
        api.MapGet("/", List).RequireAuthorization(Policies.WorkspaceRead).WithName("ListAutomations");
        api.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.WorkspaceRead).WithName("GetAutomation");
        api.MapPost("/", Create).RequireAuthorization(Policies.IntegrationsWrite).WithName("CreateAutomation");
        api.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.IntegrationsWrite).WithName("UpdateAutomation");
        api.MapDelete("/{id:guid}", Delete).RequireAuthorization(Policies.IntegrationsWrite).WithName("DeleteAutomation");
        api.MapPost("/{id:guid}/enable", Enable).RequireAuthorization(Policies.IntegrationsWrite).WithName("EnableAutomation")
            .WithSummary("Enables an automation after validating it again (integrations may have changed)");
        api.MapPost("/{id:guid}/disable", Disable).RequireAuthorization(Policies.IntegrationsWrite).WithName("DisableAutomation");
        api.MapGet("/{id:guid}/runs", Runs).RequireAuthorization(Policies.WorkspaceRead).WithName("ListAutomationRuns");
        api.MapGet("/{id:guid}/runs/{runId:guid}", Run).RequireAuthorization(Policies.WorkspaceRead).WithName("GetAutomationRun")
            .WithSummary("A run with each step's outcome: status, rendered text, error");
        return app;
    }

    /// <summary>The problem for a refused draft: its code when every error shares one (e.g. twilio_not_configured), else validation_failed.</summary>
    public static ProblemHttpResult Refused(IReadOnlyList<FieldError> errors) =>
        errors.Select(e => e.Code).Distinct().Count() == 1
            ? Problems.Of(400, errors[0].Code, errors.Count == 1 ? errors[0].Detail : string.Join(" ", errors.Select(e => e.Detail)), errors)
            : Problems.Validation(errors);

    static async Task<Results<Ok<ValidationResult>, ProblemHttpResult>> Validate(
        AutomationDraft draft, ClaimsPrincipal user, EngineDbContext db, EngineLimits limits, CancellationToken ct)
    {
        var errors = await CheckAsync(db, user.WorkspaceIdOf(), draft, draft.Enabled ?? true, null, limits, ct);
        return errors.Count == 0 ? TypedResults.Ok(new ValidationResult(true, [])) : Refused(errors);
    }

    /// <summary>
    /// The validator, plus the cap that needs the database: at most <see cref="EngineLimits.MaxEnabledAutomationsPerTrigger"/>
    /// enabled automations of the workspace on one trigger (the automation being saved, <paramref name="id"/>, not counted).
    /// </summary>
    public static async Task<List<FieldError>> CheckAsync(
        EngineDbContext db, Guid workspaceId, AutomationDraft draft, bool enabled, Guid? id, EngineLimits limits, CancellationToken ct)
    {
        var errors = AutomationValidator.Validate(draft, await db.IntegrationsOfAsync(workspaceId, ct), limits);
        if (errors.Count > 0 || !enabled) return errors;
        var others = await db.Automations.CountAsync(a => a.WorkspaceId == workspaceId && a.Trigger == draft.Trigger && a.Enabled && a.Id != id, ct);
        if (others >= limits.MaxEnabledAutomationsPerTrigger)
            errors.Add(new("enabled", AutomationValidator.Codes.TooManyEnabledAutomations,
                $"Ya hay {others} automatizaciones activas con este disparador; el máximo es {limits.MaxEnabledAutomationsPerTrigger}. Desactiva alguna o guárdala desactivada."));
        return errors;
    }

    static async Task<Ok<List<AutomationDto>>> List(ClaimsPrincipal user, EngineDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var automations = await db.Automations.AsNoTracking().Where(a => a.WorkspaceId == workspaceId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(automations.Select(AutomationDto.From).ToList());
    }

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, EngineDbContext db, CancellationToken ct) =>
        await FindAsync(db, user, id, ct) is { } a ? TypedResults.Ok(AutomationDto.From(a)) : NotFound();

    static async Task<Results<Created<AutomationDto>, ProblemHttpResult>> Create(
        AutomationDraft draft, ClaimsPrincipal user, EngineDbContext db, EngineLimits limits, AutomationChanges changes, CancellationToken ct)
    {
        var result = await CreateAsync(db, user.WorkspaceIdOf(), draft, draft.Enabled ?? true, limits, ct);
        if (result.Automation is { Enabled: true } created) await changes.SavedAsync(created.WorkspaceId, ct);
        return result.Automation is { } a ? TypedResults.Created($"/api/automations/{a.Id}", AutomationDto.From(a)) : Refused(result.Errors);
    }

    /// <summary>Validates and saves a new automation in the workspace: the one path for the wizard and the AI builder.</summary>
    public static async Task<(Automation? Automation, IReadOnlyList<FieldError> Errors)> CreateAsync(
        EngineDbContext db, Guid workspaceId, AutomationDraft draft, bool enabled, EngineLimits limits, CancellationToken ct)
    {
        var errors = await CheckAsync(db, workspaceId, draft, enabled, null, limits, ct);
        if (errors.Count > 0) return (null, errors);
        var now = DateTimeOffset.UtcNow;
        var automation = new Automation
        {
            Id = Guid.CreateVersion7(), WorkspaceId = workspaceId, Name = draft.Name!.Trim(), Trigger = draft.Trigger!,
            Conditions = AutomationJson.Serialize(draft.Conditions ?? []), Actions = AutomationJson.Serialize(draft.Actions!),
            Enabled = enabled, CreatedAt = now, UpdatedAt = now,
        };
        db.Automations.Add(automation);
        await db.SaveChangesAsync(ct);
        return (automation, []);
    }

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Update(
        Guid id, AutomationDraft draft, ClaimsPrincipal user, EngineDbContext db, EngineLimits limits, AutomationChanges changes, CancellationToken ct)
    {
        if (await FindAsync(db, user, id, ct) is not { } a) return NotFound();
        var errors = await CheckAsync(db, a.WorkspaceId, draft, draft.Enabled ?? a.Enabled, a.Id, limits, ct);
        if (errors.Count > 0) return Refused(errors);
        a.Name = draft.Name!.Trim();
        a.Trigger = draft.Trigger!;
        a.Conditions = AutomationJson.Serialize(draft.Conditions ?? []);
        a.Actions = AutomationJson.Serialize(draft.Actions!);
        a.Enabled = draft.Enabled ?? a.Enabled;
        a.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await changes.SavedAsync(a.WorkspaceId, ct);
        return TypedResults.Ok(AutomationDto.From(a));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, ClaimsPrincipal user, EngineDbContext db, AutomationChanges changes, CancellationToken ct)
    {
        if (await FindAsync(db, user, id, ct) is not { } a) return NotFound();
        await db.Runs.Where(r => r.AutomationId == a.Id && r.WorkspaceId == a.WorkspaceId).ExecuteDeleteAsync(ct);
        db.Automations.Remove(a);
        await db.SaveChangesAsync(ct);
        await changes.SavedAsync(a.WorkspaceId, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Enable(
        Guid id, ClaimsPrincipal user, EngineDbContext db, EngineLimits limits, AutomationChanges changes, CancellationToken ct)
    {
        if (await FindAsync(db, user, id, ct) is not { } a) return NotFound();
        var draft = new AutomationDraft(a.Name, a.Trigger, AutomationJson.Conditions(a), AutomationJson.Actions(a));
        var errors = await CheckAsync(db, a.WorkspaceId, draft, true, a.Id, limits, ct);
        if (errors.Count > 0) return Refused(errors);
        return await SetEnabledAsync(db, changes, a, true, ct);
    }

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> Disable(
        Guid id, ClaimsPrincipal user, EngineDbContext db, AutomationChanges changes, CancellationToken ct) =>
        await FindAsync(db, user, id, ct) is { } a ? await SetEnabledAsync(db, changes, a, false, ct) : NotFound();

    static async Task<Results<Ok<AutomationDto>, ProblemHttpResult>> SetEnabledAsync(
        EngineDbContext db, AutomationChanges changes, Automation a, bool enabled, CancellationToken ct)
    {
        a.Enabled = enabled;
        a.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await changes.SavedAsync(a.WorkspaceId, ct);
        return TypedResults.Ok(AutomationDto.From(a));
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
                Failure = r.Steps.Where(s => s.Status == RunStatuses.Failed).OrderBy(s => s.StepIndex).Select(s => new { s.ErrorCode, s.Error }).FirstOrDefault(),
            })
            .Select(x => new RunSummary(x.Run.Id, x.Run.AutomationId, x.Run.TriggerEventId, x.Run.Trigger, x.Run.Status, x.Run.StartedAt,
                x.Failure == null ? null : x.Failure.ErrorCode, x.Failure == null ? null : x.Failure.Error))
            .ToListAsync(ct);
        return TypedResults.Ok(runs);
    }

    static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> Run(Guid id, Guid runId, ClaimsPrincipal user, EngineDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var run = await db.Runs.AsNoTracking().Include(r => r.Steps)
            .FirstOrDefaultAsync(r => r.Id == runId && r.AutomationId == id && r.WorkspaceId == workspaceId, ct);
        if (run is null) return Problems.NotFound("La ejecución no existe.");
        return TypedResults.Ok(new RunDetail(run.Id, run.AutomationId, run.TriggerEventId, run.Trigger, run.Status, run.StartedAt,
            [.. run.Steps.OrderBy(s => s.StepIndex).Select(s => new RunStepDto(s.StepIndex, s.Action, s.Status, s.Output, s.ErrorCode, s.Error, s.ResultId))]));
    }

    static Task<Automation?> FindAsync(EngineDbContext db, ClaimsPrincipal user, Guid id, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        return db.Automations.FirstOrDefaultAsync(a => a.Id == id && a.WorkspaceId == workspaceId, ct);
    }

    static ProblemHttpResult NotFound() => Problems.NotFound("La automatización no existe.");
}
