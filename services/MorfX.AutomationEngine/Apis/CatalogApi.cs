using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Apis;

/// <summary>The wizard's catalog (with what the caller's workspace can use) and the template preview.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/automations").WithTags("Automations").RequireAuthorization(Policies.WorkspaceRead);
        api.MapGet("/catalog", GetCatalog).WithName("GetAutomationCatalog")
            .WithSummary("Every trigger and action, by category and colour, with its availability for the caller's workspace");
        api.MapPost("/preview", Preview).WithName("PreviewTemplate")
            .WithSummary("Renders a template with the trigger's sample data (or the given data): text, unknown variables, encoding and segments")
            .WithDescription("Bounded like a saved template: template_too_long, template_too_nested (one {{#each}} level), " +
                "template_output_too_long, template_too_slow, preview_data_too_large; the body is at most 256 KB.")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(PreviewMaxBodyBytes))
            .WithRequestExample(RequestBodies.Preview).ProducesProblems(EngineProblems.PreviewRefusals);
        return app;
    }

    const int PreviewMaxBodyBytes = 256 * 1024;

    static async Task<Ok<CatalogResponse>> GetCatalog(ClaimsPrincipal user, EngineDbContext db, EngineLimitsOptions limits, CancellationToken ct)
    {
        var integrations = await db.IntegrationsOfAsync(user.WorkspaceIdOf(), ct);
        return TypedResults.Ok(WorkspaceCatalog.For(integrations, limits));
    }

    static Results<Ok<PreviewResult>, ProblemHttpResult> Preview(PreviewRequest request, EngineLimitsOptions limits) =>
        TemplatePreview.Render(request.Trigger, request.Template, request.Data, limits) switch
        {
            ({ } result, _) => TypedResults.Ok(result),
            (_, var refusal) => Problems.Of(400, refusal!.Code, refusal.Detail, [new(refusal.Field, refusal.Code, refusal.FieldDetail)]),
        };
}
