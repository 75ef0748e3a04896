using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;
using OpenAI.Chat;

namespace MorfX.AutomationEngine.Builder;

/// <summary>
/// One builder turn: the conversation so far plus the catalog-generated system prompt and tools, then a bounded
/// tool loop. Drafts are checked by the same validator as the wizard; an invalid draft is never saved.
/// </summary>
public sealed partial class AutomationBuilder(BuilderLlm llm, EngineDbContext db, AutomationStore store, EngineLimitsOptions limits, ILogger<AutomationBuilder> logger)
{
    /// <summary>Model calls per turn: enough to look up, validate, correct and create; a runaway loop stops here.</summary>
    public const int MaxRounds = 8;

    public async Task<BuilderResponse> RunAsync(Guid workspaceId, IReadOnlyList<BuilderMessage> conversation, AutomationDraft? currentDraft, CancellationToken ct)
    {
        var client = llm.Client ?? throw new InvalidOperationException("LLM not configured");
        List<ChatMessage> messages = [new SystemChatMessage(BuilderTools.SystemPrompt(limits))];
        if (currentDraft is not null)
            messages.Add(new SystemChatMessage("Borrador actual (JSON), a refinar según lo que pida el usuario: " + AutomationJson.Serialize(currentDraft)));
        foreach (var m in conversation)
            messages.Add(m.Role == "assistant" ? new AssistantChatMessage(m.Content!) : new UserChatMessage(m.Content!));
        var options = new ChatCompletionOptions();
        foreach (var tool in BuilderTools.Definitions()) options.Tools.Add(tool);

        var draft = currentDraft;
        Automation? created = null;
        string? reply = null;
        for (var round = 0; round < MaxRounds && reply is null; round++)
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages, options, ct);
            if (completion.ToolCalls.Count == 0)
            {
                reply = string.Concat(completion.Content.Select(c => c.Text)).Trim();
                break;
            }
            messages.Add(new AssistantChatMessage(completion));
            foreach (var call in completion.ToolCalls)
            {
                var result = await BuilderTools.ExecuteAsync(call.FunctionName, call.FunctionArguments, workspaceId, db, store, limits, mayCreate: created is null, ct);
                LogToolCall(workspaceId, call.FunctionName, result.Errors?.Count ?? 0);
                draft = result.Draft ?? draft;
                created = result.Created ?? created;
                messages.Add(new ToolChatMessage(call.Id, result.Json));
            }
        }
        if (reply is null) LogRoundsExhausted(workspaceId, MaxRounds);
        reply = string.IsNullOrEmpty(reply)
            ? Texts.BuilderNoDraft
            : reply;

        ValidationResult? validation = null;
        if (draft is not null)
        {
            var errors = created is not null ? [] : AutomationValidator.Validate(draft, await db.IntegrationsOfAsync(workspaceId, ct), limits);
            validation = new ValidationResult(errors.Count == 0, errors);
            // Whatever the model wrote, a missing integration is always said (e.g. "configure Twilio first").
            foreach (var missing in errors.Where(e => e.Code is AutomationValidator.Codes.TwilioNotConfigured or AutomationValidator.Codes.ShopifyNotConfigured)
                         .Select(e => e.Detail).Distinct().Where(d => !reply.Contains(d, StringComparison.Ordinal)))
                reply += "\n\n" + missing;
        }
        return new BuilderResponse(reply, draft, validation, created is null ? null : AutomationDto.From(created));
    }

    [LoggerMessage(2301, LogLevel.Information, "Builder tool {Tool} for workspace {WorkspaceId} ({ErrorCount} validation errors)")]
    partial void LogToolCall(Guid workspaceId, string tool, int errorCount);

    [LoggerMessage(2302, LogLevel.Warning, "Builder for workspace {WorkspaceId} stopped after {Rounds} model calls")]
    partial void LogRoundsExhausted(Guid workspaceId, int rounds);
}
