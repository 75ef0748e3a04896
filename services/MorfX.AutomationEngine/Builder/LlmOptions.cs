namespace MorfX.AutomationEngine.Builder;

/// <summary>
/// The AI builder's model (section Llm): any OpenAI-compatible chat-completions endpoint (Endpoint, e.g.
/// http://127.0.0.1:5182/v1 for the emulator), its Model, and ApiKey (a secret: never logged). Without Endpoint and Model
/// the builder answers 503 llm_not_configured and the rest of the engine works; one without the other is a mistake that
/// stops start-up.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    public Uri? Endpoint { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    public bool IsConfigured => Endpoint is not null && !string.IsNullOrWhiteSpace(Model);
}
