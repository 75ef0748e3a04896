using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MorfX.ServiceDefaults;

public static class Extensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>
    /// Telemetry, health, service discovery and resilient HTTP clients, problem details, auth and OpenAPI: the one call every
    /// service makes.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        // Defaults that configuration can still override: every SQL command and HTTP call at Information is a hot-path
        // cost (formatting and writing a line per query), and their traces already say what they did. Polly (the
        // resilience pipelines of the HTTP clients) logs every successful attempt at Information, most of the log under load,
        // each record exported to the dashboard. Its retries and open circuits are Warnings and still logged.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                ["Logging:LogLevel:Polly"] = "Warning",
            },
        });
        builder.AddTelemetry(serviceName);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.AddHttpClientDefaults();
        builder.Services.AddMorfXProblemDetails();
        builder.AddJwtAuth();
        builder.Services.AddOpenApi(o =>
        {
            o.AddOperationTransformer<ProblemResponsesTransformer>();
            o.AddOperationTransformer<RequestExampleTransformer>();
        });
        return builder;
    }

    /// <summary>Reads ConnectionStrings:name, failing start-up with a message that names it when missing.</summary>
    public static string RequireConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Missing connection string '{name}': set ConnectionStrings:{name} (environment variable ConnectionStrings__{name}).");

    /// <summary>The middleware every service runs: problem details for errors, the OpenAPI explorer page, authentication and authorization.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The explorer page is static files for the anonymous OpenAPI document: served before the deny-by-default fallback policy.
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", app.Environment.ApplicationName);
            o.RoutePrefix = "swagger";
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>/health (database, broker and process), /alive (process), /openapi/v1.json.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => true }).AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>A value from configuration that must be present (service URLs, keys).</summary>
    public static string Require(this IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Missing configuration value '{key}' (environment variable {key.Replace(":", "__")}).");
}
