using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;
using MorfX.Rules;

namespace MorfX.AutomationEngine.Apis;

public record Availability(bool Available, string? Code, string? Reason)
{
    public static Availability Of(string? requiredIntegration, WorkspaceIntegrations integrations) =>
        AutomationValidator.Blocked(requiredIntegration, integrations) is { } b ? new(false, b.Code, b.Detail) : new(true, null, null);
}

public record CatalogTrigger(string Key, string Label, string Description, string Category, string CategoryLabel, string Color,
    string? RequiredIntegration, IReadOnlyList<VariableDefinition> Variables, Availability Availability);

public record CatalogAction(string Key, string Label, string Description, string Category, string CategoryLabel, string Color,
    string? RequiredIntegration, IReadOnlyList<FieldDefinition> Fields, Availability Availability);

/// <summary>The catalog; Limits states every cap a workspace works within (see <see cref="EngineLimits"/>).</summary>
public record CatalogResponse(
    IReadOnlyList<CatalogCategory> Categories, IReadOnlyList<CatalogTrigger> Triggers, IReadOnlyList<CatalogAction> Actions,
    IReadOnlyList<string> Operators, EngineLimits Limits);

public record PreviewRequest(string? Trigger, string? Template, JsonElement? Data);

public record PreviewResult(string Text, IReadOnlyList<string> UnknownVariables, string Encoding, int Segments, int Characters);

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
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(PreviewMaxBodyBytes));
        return app;
    }

    const int PreviewMaxBodyBytes = 256 * 1024;

    static async Task<Ok<CatalogResponse>> GetCatalog(ClaimsPrincipal user, EngineDbContext db, EngineLimits limits, CancellationToken ct)
    {
        var integrations = await db.IntegrationsOfAsync(user.WorkspaceIdOf(), ct);
        return TypedResults.Ok(Build(integrations, limits));
    }

    public static CatalogResponse Build(WorkspaceIntegrations integrations, EngineLimits limits) => new(
        [AutomationCatalog.Crm, AutomationCatalog.WhatsApp, AutomationCatalog.Tareas, AutomationCatalog.Shopify, AutomationCatalog.Twilio],
        [.. AutomationCatalog.Triggers.Select(t => new CatalogTrigger(t.Key, t.Label, t.Description, t.Category.Key, t.Category.Label, t.Color,
            t.RequiredIntegration, t.Variables, Availability.Of(t.RequiredIntegration, integrations)))],
        [.. AutomationCatalog.ActionDefinitions.Select(a => new CatalogAction(a.Key, a.Label, a.Description, a.Category.Key, a.Category.Label, a.Color,
            a.RequiredIntegration, a.Fields, Availability.Of(a.RequiredIntegration, integrations)))],
        Automations.Operators.All, limits);

    static Results<Ok<PreviewResult>, ProblemHttpResult> Preview(PreviewRequest request, EngineLimits limits)
    {
        if (AutomationCatalog.Trigger(request.Trigger) is not { } trigger)
            return Problems.Of(400, AutomationValidator.Codes.UnknownTrigger, $"El disparador '{request.Trigger}' no existe en el catálogo.",
                [new("trigger", AutomationValidator.Codes.UnknownTrigger, "Elige un disparador del catálogo.")]);
        if (request.Template is null)
            return Problems.Of(400, AutomationValidator.Codes.FieldRequired, "Falta la plantilla a previsualizar.",
                [new("template", AutomationValidator.Codes.FieldRequired, "Falta la plantilla a previsualizar.")]);

        if (TemplateBounds.Check(request.Template, limits) is { } refused)
            return Problems.Of(400, refused.Code, refused.Detail, [new("template", refused.Code, refused.Detail)]);
        if (request.Data is { ValueKind: JsonValueKind.Object } json && TemplateData.LongestList(json) > limits.PreviewMaxListItems)
            return Problems.Of(400, "preview_data_too_large", $"Los datos de ejemplo tienen una lista de más de {limits.PreviewMaxListItems} elementos.",
                [new("data", "preview_data_too_large", $"Usa como máximo {limits.PreviewMaxListItems} elementos por lista.")]);

        var data = request.Data is { ValueKind: JsonValueKind.Object } given ? TemplateData.FromJson(given) : AutomationCatalog.SampleData(trigger);
        string text;
        try
        {
            text = TemplateRenderer.Render(request.Template, data, limits);
        }
        catch (TemplateException e)
        {
            var detail = e.Code == AutomationValidator.Codes.InvalidTemplate ? $"La plantilla no es válida: {e.Message}" : e.Message;
            return Problems.Of(400, e.Code, detail, [new("template", e.Code, e.Message)]);
        }
        var (encoding, segments) = SmsSegments.Calculate(text);
        return TypedResults.Ok(new PreviewResult(text, TemplateRenderer.UnknownVariables(request.Template, trigger), encoding, segments, text.Length));
    }
}
