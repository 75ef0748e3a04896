using System.Diagnostics;

namespace MorfX.ServiceDefaults;

/// <summary>
/// One pass of a background loop (an outbox dispatcher, a poller, a reconciler) as a trace of its own, kept only when the pass
/// finds work: an idle poll every second would otherwise be a trace of one query, burying the orders' traces in the dashboard
/// and spending their budget. The pass starts unrecorded, so the query that finds nothing is not recorded either;
/// <see cref="Working"/> records it (within the trace budget), and what it does from then on (its writes, its publishes, and
/// their consumers in other services) is its trace. The query that found the work is not in it.
/// </summary>
public sealed class BackgroundPass : IDisposable
{
    /// <summary>The passes' activity source (traced by <see cref="Telemetry"/>).</summary>
    public const string SourceName = "MorfX.Background";

    /// <summary>Tells <see cref="TraceBudgetSampler"/> that a pass starts: recorded only once it is working.</summary>
    internal const string PassTag = "morfx.background_pass";

    static readonly ActivitySource Source = new(SourceName);
    static readonly KeyValuePair<string, object?>[] Tags = [new(PassTag, true)];

    /// <summary>Whether a working pass may be traced: the process's trace budget (set with the sampler, one per process).</summary>
    internal static Func<bool> MayRecord { get; set; } = static () => true;

    readonly Activity? _activity;
    int _items;

    BackgroundPass(Activity? activity) => _activity = activity;

    /// <summary>Starts a pass; <paramref name="name"/> says what the loop does ("outbox dispatch").</summary>
    public static BackgroundPass Start(string name) => new(Source.StartActivity(ActivityKind.Internal, tags: Tags, name: name));

    /// <summary>The pass found <paramref name="items"/> to work on: call it before the work, which is then traced.</summary>
    public void Working(int items)
    {
        // Not all data requested: nobody listens, or the pass runs inside a trace that is not sampled.
        if (_activity is not { IsAllDataRequested: true }) return;
        if (!_activity.Recorded)
        {
            if (!MayRecord()) return;
            _activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
        _items += items;
        _activity.SetTag("morfx.items", _items);
    }

    public void Dispose() => _activity?.Dispose();
}
