using MorfX.AutomationEngine.Automations;

namespace MorfX.AutomationEngine.Builder;

/// <summary>The conversation so far and, on a refining turn, the draft the previous answer returned.</summary>
public record BuilderRequest(List<BuilderMessage>? Messages, AutomationDraft? Draft = null);
