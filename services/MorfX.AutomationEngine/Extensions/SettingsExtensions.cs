using Microsoft.Extensions.Options;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Builder;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Extensions;

/// <summary>The engine's settings that are not limits, bound from configuration and checked when the service starts.</summary>
public static class SettingsExtensions
{
    public static IServiceCollection AddEngineSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkspaceCacheOptions>().Bind(configuration.GetSection(WorkspaceCacheOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.Section))
            .Validate(o => (o.Endpoint is null) == string.IsNullOrWhiteSpace(o.Model),
                "Llm:Endpoint and Llm:Model go together: set both for the AI builder, or neither.")
            .Validate(o => o.Endpoint is null || HttpUrls.IsAbsoluteHttp(o.Endpoint),
                "Llm:Endpoint must be an absolute http(s) URL (an OpenAI-compatible base, e.g. https://api.openai.com/v1).")
            .ValidateOnStart();
        services.AddSingleton(sp => BuilderLlm.Create(sp.GetRequiredService<IOptions<LlmOptions>>().Value));
        return services;
    }
}
