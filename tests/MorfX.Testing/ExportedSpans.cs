using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using MorfX.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace MorfX.Testing;

/// <summary>
/// Traces as a service traces them (<see cref="Telemetry.AddMorfXTracing"/>: its sources, sampler and budget), exported in
/// batches to a list instead of OTLP. Process-wide while it lives: dispose it at the end of the test.
/// </summary>
public sealed class ExportedSpans : IDisposable
{
    readonly ConcurrentQueue<Activity> _spans = new();
    readonly TracerProvider _provider;

    /// <param name="tracesPerSecond">The trace budget (Telemetry:TracesPerSecond); a service's default unless the test says.</param>
    /// <param name="sources">The test's own activity sources, traced too.</param>
    public ExportedSpans(double tracesPerSecond = 1, params string[] sources) => _provider = Sdk.CreateTracerProviderBuilder()
        .AddMorfXTracing(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:TracesPerSecond"] = tracesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build())
        .AddSource(sources)
        .AddProcessor(new BatchActivityExportProcessor(new ListExporter(_spans))) // as the OTLP exporter's
        .Build();

    /// <summary>The spans exported since the last call.</summary>
    public List<Activity> Take()
    {
        _provider.ForceFlush();
        List<Activity> taken = [];
        while (_spans.TryDequeue(out var span)) taken.Add(span);
        return taken;
    }

    /// <summary>One line per span, for assertion messages and the test's output.</summary>
    public static IEnumerable<string> Describe(IEnumerable<Activity> spans) =>
        spans.Select(a => $"{a.TraceId} {a.Source.Name} {a.Kind} {a.DisplayName} (parent {a.ParentSpanId})");

    public void Dispose() => _provider.Dispose();

    sealed class ListExporter(ConcurrentQueue<Activity> spans) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch) spans.Enqueue(span);
            return ExportResult.Success;
        }
    }
}
