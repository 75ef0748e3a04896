using System.ComponentModel.DataAnnotations;

namespace MorfX.AutomationEngine.Limits;

/// <summary>
/// What one workspace may make the engine do (configuration section <c>Limits</c>). Every value is stated in the
/// catalog (<c>GET /api/automations/catalog</c>, <c>limits</c>) so the wizard and the AI builder can say it before a save fails.
/// </summary>
public sealed class EngineLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Characters of one template (any text field of an action), before rendering.</summary>
    [Range(100, 100_000)] public int TemplateMaxLength { get; set; } = 4_000;

    /// <summary>Nested block helpers ({{#if}} inside {{#with}}…) in one template; {{#each}} may not nest at all.</summary>
    [Range(1, 32)] public int TemplateMaxBlockDepth { get; set; } = 6;

    /// <summary>Characters a template may render to; rendering stops as soon as it is exceeded.</summary>
    [Range(100, 1_000_000)] public int RenderedMaxLength { get; set; } = 10_000;

    /// <summary>CPU-time budget of one render (its thread's, not time spent waiting for a core); rendering stops once it is exceeded.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")] public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Elements of each list in the data a caller gives to the preview (Shopify sends at most 250 line items).</summary>
    [Range(1, 10_000)] public int PreviewMaxListItems { get; set; } = 250;

    /// <summary>Actions in one automation (400 too_many_actions).</summary>
    [Range(1, 1_000)] public int MaxActionsPerAutomation { get; set; } = 20;

    /// <summary>Enabled automations of one workspace on one trigger (400 too_many_enabled_automations).</summary>
    [Range(1, 10_000)] public int MaxEnabledAutomationsPerTrigger { get; set; } = 25;

    /// <summary>
    /// Fan-out depth: an event caused by an automation's CRM action has depth 1, one caused by that has 2…; events deeper
    /// than this start no automation (the loop guard).
    /// </summary>
    [Range(0, 10)] public int MaxFanOutDepth { get; set; } = 3;

    /// <summary>
    /// Runs that one root event (a Shopify order, a WhatsApp message…) may cause across every CRM and task event it fans
    /// out to; CRM and task events beyond it start no automation.
    /// </summary>
    [Range(1, 100_000)] public int MaxRunsPerRootEvent { get; set; } = 100;

    /// <summary>Runs of one workspace waiting at a wait action at once; a wait beyond it fails with wait_limit_reached.</summary>
    [Range(1, 10_000_000)] public int MaxWaitingRunsPerWorkspace { get; set; } = 100_000;

    /// <summary>How long past its due time a held step may still go on (the engine was down…): later, it ends skipped as expired.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")] public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Messages in one AI builder request (400 builder_too_many_turns).</summary>
    [Range(1, 1_000)] public int BuilderMaxTurns { get; set; } = 30;

    /// <summary>Characters of all the messages of one AI builder request (400 builder_conversation_too_long).</summary>
    [Range(100, 1_000_000)] public int BuilderMaxConversationChars { get; set; } = 20_000;

    /// <summary>AI builder requests per workspace per hour (429 builder_rate_limited), per engine instance.</summary>
    [Range(1, 100_000)] public int BuilderRequestsPerHour { get; set; } = 60;
}
