using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace MorfX.AutomationEngine.Builder;

/// <summary>The chat-completions client for the AI builder, from <see cref="LlmOptions"/>. Null when no endpoint or model is configured.</summary>
public sealed record BuilderLlm(ChatClient? Client)
{
    public static BuilderLlm Create(LlmOptions options)
    {
        if (!options.IsConfigured) return new BuilderLlm((ChatClient?)null);
        // Local OpenAI-compatible servers often need no key; the SDK still wants one.
        var key = options.ApiKey is { Length: > 0 } k ? k : "unused";
        return new BuilderLlm(new ChatClient(options.Model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = TimeSpan.FromSeconds(60),
        }));
    }
}
