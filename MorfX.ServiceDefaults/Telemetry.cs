using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the AppHost sets it for
/// its dashboard). The instrumentation packages are not served here, so the providers subscribe by name
/// to the sources that ASP.NET Core, HttpClient, Npgsql and MassTransit emit natively.
/// </summary>
public static class Telemetry
{
    /// <summary>The meter and activity source name for MorfX's own instruments.</summary>
    public const string MorfXSource = "MorfX";

    static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", MorfXSource];

    static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "System.Net.Http", "System.Runtime", "Npgsql", "MassTransit", MorfXSource,
    ];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(new System.Diagnostics.Metrics.Meter(MorfXSource));
        builder.Services.AddSingleton(new System.Diagnostics.ActivitySource(MorfXSource));
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return builder;

        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);
        // Registered as singletons so the host disposes (and flushes) them at shutdown.
        builder.Services.AddSingleton(Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource).AddSource(Sources).AddOtlpExporter().Build());
        builder.Services.AddSingleton(Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource).AddMeter(Meters).AddOtlpExporter().Build());
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter();
        });
        return builder;
    }
}
