using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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

    /// <summary>
    /// Names the ASP.NET Core server span "METHOD /route" and tags it with the HTTP semantic conventions, as the missing
    /// instrumentation package would; without it every request shows up as "Microsoft.AspNetCore.Hosting.HttpRequestIn".
    /// </summary>
    internal static async Task NameServerSpan(HttpContext context, RequestDelegate next)
    {
        var activity = Activity.Current;
        if (activity?.OperationName != "Microsoft.AspNetCore.Hosting.HttpRequestIn")
        {
            await next(context);
            return;
        }
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.DisplayName = route is null ? context.Request.Method : $"{context.Request.Method} {route}";
        activity.SetTag("http.request.method", context.Request.Method);
        activity.SetTag("url.path", context.Request.Path.Value);
        if (route is not null) activity.SetTag("http.route", route);
        await next(context);
        activity.SetTag("http.response.status_code", context.Response.StatusCode);
    }

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
