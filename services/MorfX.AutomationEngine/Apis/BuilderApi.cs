using System.ClientModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Builder;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Apis;

/// <summary>The AI builder: from a conversation to a validated draft, saved (disabled) when the user asks.</summary>
public static partial class BuilderApi
{
    public static IEndpointRouteBuilder MapBuilderApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/automations/builder", Build).WithTags("Automations").RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("BuildAutomation")
            .WithSummary("One turn of the AI builder: the assistant's reply, the current draft and its validation, and the saved automation if created")
            .WithDescription("Caps (configuration section Limits, also listed in the catalog's `limits`): at most BuilderMaxTurns messages and " +
                "BuilderMaxConversationChars characters per request (400 builder_too_many_turns / builder_conversation_too_long), " +
                "BuilderRequestsPerHour requests per workspace per hour (429 builder_rate_limited).")
            .WithRequestExample(RequestBodies.Builder)
            .ProducesProblems(ProblemCode.ValidationFailed, EngineProblems.LlmNotConfigured, EngineProblems.BuilderTooManyTurns,
                EngineProblems.BuilderConversationTooLong, EngineProblems.BuilderRateLimited, EngineProblems.LlmUnavailable);
        return app;
    }

    static async Task<Results<Ok<BuilderResponse>, ProblemHttpResult>> Build(
        BuilderRequest request, ClaimsPrincipal user, BuilderLlm llm, AutomationBuilder builder, EngineLimitsOptions limits, BuilderQuota quota,
        ILoggerFactory loggers, CancellationToken ct)
    {
        if (llm.Client is null)
            return EngineProblems.LlmNotConfigured.With(Texts.LlmNotConfigured);
        var messages = request.Messages ?? [];
        var errors = new List<FieldError>();
        if (messages.Count == 0 || messages[^1].Role != "user")
            errors.Add(new("messages", "message_required", Texts.BuilderMessageRequired));
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role is not ("user" or "assistant"))
                errors.Add(new($"messages[{i}].role", "invalid_role", Texts.BuilderInvalidRole));
            if (string.IsNullOrWhiteSpace(messages[i].Content))
                errors.Add(new($"messages[{i}].content", "field_required", Texts.BuilderMessageEmpty));
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        if (messages.Count > limits.BuilderMaxTurns)
            return EngineProblems.BuilderTooManyTurns.With(Texts.BuilderTooManyTurns(messages.Count, limits.BuilderMaxTurns));
        var characters = messages.Sum(m => m.Content!.Length) + (request.Draft is null ? 0 : AutomationJson.Serialize(request.Draft).Length);
        if (characters > limits.BuilderMaxConversationChars)
            return EngineProblems.BuilderConversationTooLong.With(Texts.BuilderConversationTooLong(characters, limits.BuilderMaxConversationChars));
        if (!quota.TryTake(user.WorkspaceIdOf()))
            return EngineProblems.BuilderRateLimited.With(Texts.BuilderRateLimited(limits.BuilderRequestsPerHour));

        try
        {
            return TypedResults.Ok(await builder.RunAsync(user.WorkspaceIdOf(), messages, request.Draft, ct));
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogProviderFailed(loggers.CreateLogger(typeof(BuilderApi)), e.GetType().Name, e.Message);
            return EngineProblems.LlmUnavailable.With(Texts.LlmUnavailable);
        }
    }

    [LoggerMessage(2401, LogLevel.Warning, "LLM provider call failed: {ErrorType} {ErrorMessage}")]
    static partial void LogProviderFailed(ILogger logger, string errorType, string errorMessage);
}
