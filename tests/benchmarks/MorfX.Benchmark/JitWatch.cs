/// <summary>
/// The CPU the services' tiered-compilation threads (".NET Tiered Compilation Worker") used while it watches, sampled from
/// /proc once a second: a started .NET process recompiles its hot code in tiers in the background, and the warm-up goes on
/// until that has settled. A worker thread ends after a while idle and a new one starts later: each thread's time counts
/// from when it was first seen (a thread that ends between two samples loses its last second, a slight undercount).
/// </summary>
sealed class JitWatch : IDisposable
{
    readonly int[] _pids;
    readonly Dictionary<(int Pid, string Tid), long> _ticksSeen = [];
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    long _ticks;

    public JitWatch(int[] pids)
    {
        _pids = pids;
        Sample(counting: false);
        _loop = LoopAsync();
    }

    public double CpuSeconds { get { lock (_ticksSeen) return _ticks / 100.0; } } // USER_HZ

    async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try { while (await timer.WaitForNextTickAsync(_stop.Token)) Sample(counting: true); }
        catch (OperationCanceledException) { }
    }

    void Sample(bool counting)
    {
        lock (_ticksSeen)
            foreach (var pid in _pids)
                foreach (var task in Tasks(pid))
                {
                    try
                    {
                        if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal)) continue;
                    }
                    catch (IOException) { continue; } // the thread ended meanwhile
                    if (ProcessWatch.StatFields(Path.Combine(task, "stat")) is not { } stat) continue;
                    var ticks = ProcessWatch.CpuTicks(stat);
                    var key = (pid, Path.GetFileName(task));
                    if (counting) _ticks += ticks - _ticksSeen.GetValueOrDefault(key);
                    _ticksSeen[key] = ticks;
                }
    }

    static IEnumerable<string> Tasks(int pid)
    {
        try { return Directory.GetDirectories($"/proc/{pid}/task"); }
        catch (IOException) { return []; }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
