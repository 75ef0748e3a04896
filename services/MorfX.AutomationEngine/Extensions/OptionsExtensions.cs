using Microsoft.Extensions.Options;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Builder;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine.Extensions;

/// <summary>The engine's settings, bound from configuration and checked when the service starts (a bad value stops it, naming the key).</summary>
public static class OptionsExtensions
{
    public static IServiceCollection AddEngineOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineLimitsOptions>().Bind(configuration.GetSection(EngineLimitsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EngineLimitsOptions>>().Value);
        services.AddOptions<RunResumerOptions>().Bind(configuration.GetSection(RunResumerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
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
