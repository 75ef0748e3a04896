using System.Diagnostics;
using OpenTelemetry.Trace;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Samples new traces up to a budget per second (configuration <c>Telemetry:TracesPerSecond</c>), so the dashboard shows every
/// trace while traffic is light and a bounded sample under load: at 1,000 orders/s, tracing every webhook, query and message
/// would cost more CPU than the orders themselves. Continued traces follow their parent's decision (wrap it in ParentBased),
/// so a sampled order is traced through every service. Up to <see cref="Burst"/> traces may start at once (a quiet system traces
/// an order and the Twilio callbacks that follow it, each a new trace), refilled at the budget's rate. A background pass
/// (<see cref="BackgroundPass"/>) starts recorded but not sampled, and takes from the budget only once it finds work.
/// </summary>
public sealed class TraceBudgetSampler(double perSecond) : Sampler
{
    public const int Burst = 10;

    readonly object _gate = new();
    readonly double _perSecond = perSecond;
    readonly double _capacity = Math.Max(Burst, perSecond);
    double _tokens = Math.Max(Burst, perSecond);
    long _at = Stopwatch.GetTimestamp();

    static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample), Dropped = new(SamplingDecision.Drop),
        RecordOnly = new(SamplingDecision.RecordOnly);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId == default) return IsBackgroundPass(samplingParameters) ? RecordOnly : Budgeted();
        if ((parent.TraceFlags & ActivityTraceFlags.Recorded) != 0) return Sampled;
        return parent.IsRemote && samplingParameters.Kind == ActivityKind.Server ? Budgeted() : Dropped;
    }

    SamplingResult Budgeted() => TryTake() ? Sampled : Dropped;

    static bool IsBackgroundPass(in SamplingParameters parameters) =>
        parameters.Tags?.Any(t => t.Key == BackgroundPass.PassTag) == true;

    /// <summary>Takes one trace from the budget, if any is left.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + Stopwatch.GetElapsedTime(_at, now).TotalSeconds * _perSecond);
            _at = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
