using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the AppHost sets it for its dashboard,
/// the cluster for its collector), with the ecosystem's instrumentation: ASP.NET Core, HttpClient, the .NET runtime,
/// Npgsql and MassTransit, plus MorfX's own <c>morfx.*</c> instruments. New traces are sampled within a budget per second
/// (<see cref="TraceBudgetSampler"/>); a background loop's pass is a trace only when it finds work (<see cref="BackgroundPass"/>).
/// </summary>
public static class Telemetry
{
    /// <summary>The meter and activity source name for MorfX's own instruments (named morfx.*).</summary>
    public const string MorfXSource = "MorfX";

    /// <summary>MassTransit's activity source and meter (MassTransit.Logging.DiagnosticHeaders.DefaultListenerName).</summary>
    const string MassTransitSource = "MassTransit";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(new System.Diagnostics.Metrics.Meter(MorfXSource));
        builder.Services.AddSingleton(new System.Diagnostics.ActivitySource(MorfXSource));
        // Without an endpoint nothing would leave the process: tests that host several services in one process stay
        // free of process-wide listeners, and the hot path of the local runner pays nothing.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return builder;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(MassTransitSource, MorfXSource))
            .WithTracing(tracing => tracing.AddMorfXTracing(builder.Configuration))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Requests that are no trace of their own: probes and polls.</summary>
    public static readonly string[] UntracedPaths = ["/health", "/alive", "/internal/integration-changes"];

    /// <summary>What is traced, and how much (the exporter aside): a service's tracing, and a test's.</summary>
    public static TracerProviderBuilder AddMorfXTracing(this TracerProviderBuilder tracing, IConfiguration configuration)
    {
        var sampler = new TraceBudgetSampler(configuration.GetValue("Telemetry:TracesPerSecond", 1.0));
        BackgroundPass.MayRecord = sampler.TryTake;
        return tracing
            .SetSampler(sampler)
            // Health probes every few seconds would drown the traces ops look for; so would idle background passes (BackgroundPass),
            // and the change-feed reads every service makes each second (their reader's pass is the trace when it finds changes).
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !UntracedPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
            .AddHttpClientInstrumentation()
            .AddNpgsql()
            .AddSource(MassTransitSource, MorfXSource, BackgroundPass.SourceName);
    }
}
