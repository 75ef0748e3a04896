using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Catalog;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using static MorfX.AutomationEngine.Automations.AutomationValidator;

namespace MorfX.AutomationEngine.Apis;

/// <summary>
/// Every problem the engine's public operations answer besides the shared ones (<see cref="ProblemCode"/>): handlers answer
/// with these and endpoints declare them, so the OpenAPI document cannot drift from the code. Spanish details are in Texts.
/// </summary>
public static class EngineProblems
{
    /// <summary>
    /// A refused draft (<see cref="AutomationsApi.Refused"/>): 400 with the code its errors share, else validation_failed. Each
    /// code the validator can give a draft is listed, a field's `{key}_too_long` included, so a client can tell them apart.
    /// </summary>
    public static readonly ProblemCode[] DraftRefusals =
    [
        ProblemCode.ValidationFailed,
        .. new[]
        {
            Codes.NameRequired, Codes.TriggerRequired, Codes.UnknownTrigger, Codes.ShopifyNotConfigured, Codes.TwilioNotConfigured,
            Codes.IntegrationNotConfigured, Codes.ActionsRequired, Codes.UnknownAction, Codes.UnknownField, Codes.FieldRequired,
            Codes.UnknownVariable, Codes.InvalidTemplate, Codes.InvalidPhone, Codes.InvalidMediaUrl, Codes.InvalidNumber,
            Codes.InvalidOperator, Codes.ChangedToNotSupported, Codes.ValueRequired, Codes.TooManyActions,
            Codes.TooManyEnabledAutomations, Codes.InvalidPurpose, Codes.InvalidWaitMinutes,
            WeeklyWindow.Codes.InvalidStart, WeeklyWindow.Codes.InvalidEnd, WeeklyWindow.Codes.EmptyWindow, WeeklyWindow.Codes.InvalidDays,
            TemplateBounds.Codes.TemplateTooLong, TemplateBounds.Codes.TemplateTooNested,
        }
        .Concat(AutomationCatalog.ActionDefinitions.SelectMany(a => a.Fields).Where(f => f.MaxLength is not null).Select(f => Codes.TooLong(f.Key)))
        .Distinct().Select(code => new ProblemCode(StatusCodes.Status400BadRequest, code)),
    ];

    /// <summary>A template the preview refuses (<see cref="TemplatePreview"/>).</summary>
    public static readonly ProblemCode[] PreviewRefusals =
    [
        .. new[]
        {
            Codes.UnknownTrigger, Codes.FieldRequired, Codes.InvalidTemplate, TemplateBounds.Codes.TemplateTooLong,
            TemplateBounds.Codes.TemplateTooNested, TemplateBounds.Codes.TemplateOutputTooLong, TemplateBounds.Codes.TemplateTooSlow,
            TemplatePreview.DataTooLarge,
        }.Select(code => new ProblemCode(StatusCodes.Status400BadRequest, code)),
    ];

    // The AI builder.
    public static readonly ProblemCode LlmNotConfigured = new(StatusCodes.Status503ServiceUnavailable, "llm_not_configured");
    public static readonly ProblemCode BuilderTooManyTurns = new(StatusCodes.Status400BadRequest, "builder_too_many_turns");
    public static readonly ProblemCode BuilderConversationTooLong = new(StatusCodes.Status400BadRequest, "builder_conversation_too_long");
    public static readonly ProblemCode BuilderRateLimited = new(StatusCodes.Status429TooManyRequests, "builder_rate_limited");
    public static readonly ProblemCode LlmUnavailable = new(StatusCodes.Status502BadGateway, "llm_unavailable");
}
