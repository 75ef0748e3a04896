using MorfX.ServiceDefaults;

namespace MorfX.AppHost;

/// <summary>
/// Twilio, Shopify's Admin API, the LLM and the public URL Twilio and Shopify call back: the real ones when configured
/// (MORFX_TWILIO_BASE_URL, MORFX_SHOPIFY_ADMIN_BASE_URL, MORFX_LLM_ENDPOINT + MORFX_LLM_MODEL / MORFX_LLM_API_KEY,
/// MORFX_PUBLIC_WEBHOOK_URL), otherwise the local emulators on their fixed ports (deploy/resources.json) and
/// webhook-ingest itself; and MORFX_SHOPIFY_RECONCILE_INTERVAL, how often Shopify is asked (default 5 minutes).
/// </summary>
public sealed class OutsideEndpoints
{
    readonly Dictionary<string, object> _environment = [];
    readonly string? _publicWebhookUrl;

    OutsideEndpoints(string? publicWebhookUrl) => _publicWebhookUrl = publicWebhookUrl;

    /// <summary>Where Twilio and Shopify call back when MORFX_PUBLIC_WEBHOOK_URL is not set (webhook-ingest's own endpoint).</summary>
    public EndpointReference? PublicWebhookUrlDefault { get; set; }

    public static OutsideEndpoints Add(IDistributedApplicationBuilder builder)
    {
        var config = builder.Configuration;
        // Set but empty counts as not set, as for the other variables (an exported empty variable, a test clearing it).
        var outside = new OutsideEndpoints(Configured(config, "MORFX_PUBLIC_WEBHOOK_URL"));

        outside._environment["Twilio__BaseUrl"] = Configured(config, "MORFX_TWILIO_BASE_URL")
            ?? (object)Emulator<Projects.MorfX_TwilioEmulator>(builder, "twilio-emulator", "/")
                // Demo mode: the emulator accepts the credentials typed into the integrations page on first use.
                .WithEnvironment("Emulator__AutoRegisterAccounts", "true")
                .GetEndpoint("http");
        outside._environment["Shopify__AdminBaseUrl"] = Configured(config, "MORFX_SHOPIFY_ADMIN_BASE_URL")
            ?? (object)Emulator<Projects.MorfX_ShopifyEmulator>(builder, "shopify-emulator", "/health")
                // Demo mode: the access token typed into the integrations page belongs to the shop typed beside it.
                .WithEnvironment("Emulator__AutoRegisterShops", "true")
                .GetEndpoint("http");

        if (Configured(config, "MORFX_LLM_ENDPOINT") is { } llm)
        {
            outside._environment["Llm__Endpoint"] = llm;
            outside._environment["Llm__Model"] = Configured(config, "MORFX_LLM_MODEL") ?? "gpt-4o-mini";
            config["Parameters:llm-api-key"] ??= config["MORFX_LLM_API_KEY"] ?? "";
        }
        else
        {
            var emulator = Emulator<Projects.MorfX_LlmEmulator>(builder, "llm-emulator", "/_emulator/requests");
            outside._environment["Llm__Endpoint"] = ReferenceExpression.Create($"{emulator.GetEndpoint("http")}/v1");
            outside._environment["Llm__Model"] = "morfx-emulator";
            config["Parameters:llm-api-key"] ??= "local-emulator-key";
        }
        outside._environment["Llm__ApiKey"] = builder.AddParameter("llm-api-key", secret: true).Resource;
        // How often config-api reconciles each shop with the Admin API (default 5 minutes): shorter to load-test it.
        if (Configured(config, "MORFX_SHOPIFY_RECONCILE_INTERVAL") is { } interval) outside._environment["Shopify__ReconcileInterval"] = interval;
        return outside;
    }

    public IResourceBuilder<ProjectResource> ApplyTo(IResourceBuilder<ProjectResource> service) => service.WithEnvironment(context =>
    {
        foreach (var (key, value) in _environment) context.EnvironmentVariables[key] = value;
        context.EnvironmentVariables["PublicUrls__WebhookIngest"] = _publicWebhookUrl ?? (object?)PublicWebhookUrlDefault
            ?? throw new InvalidOperationException("webhook-ingest's endpoint is not known yet");
    });

    static string? Configured(Microsoft.Extensions.Configuration.IConfiguration config, string key) =>
        config[key] is { Length: > 0 } value ? value : null;

    static IResourceBuilder<ProjectResource> Emulator<TProject>(
        IDistributedApplicationBuilder builder, string name, string healthPath) where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name)
            .WithHttpEndpoint(port: ResourceMap.Current[name].Port, targetPort: ResourceMap.Current[name].Port,
                isProxied: false)
            .WithPlainHttpOnly()
            .WithHttpHealthCheck(healthPath);
}
