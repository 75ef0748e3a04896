using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MorfX.ServiceDefaults;

/// <summary>CPU time (user + system) and peak resident memory of one named process, or of a process tree summed.</summary>
sealed record ProcessSample(double CpuSeconds, long PeakMemoryMb);

/// <summary>One rate's use of a process: CPU seconds, their share of one core over the window, and the peak memory so far.</summary>
sealed record ProcessUse(double CpuSeconds, double PercentOfOneCore, long PeakMemoryMb);

/// <summary>
/// The system's processes by name, found by the port each listens on (as `morfx status` finds them): the five services, the
/// emulators, the Aspire dashboard, PostgreSQL (the postmaster and all its backends, summed) and RabbitMQ (beam.smp and its helpers, summed), and
/// the benchmark itself. Read from /proc: utime + stime (plus the reaped children's time for a tree), and VmHWM. A tree's
/// memory is the largest sum of its members' proportional set sizes (Pss) seen at a sample: summing VmHWM would count
/// PostgreSQL's shared buffers once per backend.
/// </summary>
sealed partial class ProcessWatch(Dictionary<string, (int[] Pids, bool Tree)> roots)
{
    readonly Dictionary<string, long> _treePeakKb = [];
    const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the project runs on

    public IReadOnlyDictionary<string, (int[] Pids, bool Tree)> Roots => roots;

    /// <summary>The five services' processes.</summary>
    public int[] ServicePids => [.. ResourceMap.Current.Services.Where(s => roots.ContainsKey(s.Name)).Select(s => roots[s.Name].Pids[0])];

    public static ProcessWatch Find(Options o)
    {
        var listeners = Listeners();
        var roots = new Dictionary<string, (int[], bool)>();
        void Add(string name, int port, bool tree)
        {
            if (listeners.TryGetValue(port, out var pid)) roots[name] = ([pid], tree);
        }
        foreach (var resource in ResourceMap.Current.Services.Concat(ResourceMap.Current.Emulators))
            Add(resource.Name, resource.Port, tree: false);
        // The dashboard takes every process's telemetry, through DCP's proxy (which listens on 18888 and 18889).
        if (Processes().FirstOrDefault(p => CommandLine(p).Contains("Aspire.Dashboard", StringComparison.Ordinal)) is > 0 and var dashboard)
            roots["aspire-dashboard"] = ([dashboard], false);
        if (listeners.TryGetValue(18888, out var dcp))
        {
            // Its controllers and their API server (the parent); not their children, which are the services themselves.
            var parent = StatFields($"/proc/{dcp}/stat") is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : 0;
            roots["aspire-dcp"] = (CommandLine(parent).Contains("dcp", StringComparison.Ordinal) ? [dcp, parent] : [dcp], false);
        }
        Add("postgres", o.PostgresPort, tree: true);
        Add("rabbitmq", o.AmqpPort, tree: true);
        roots["benchmark"] = ([Environment.ProcessId], false);
        return new ProcessWatch(roots);
    }

    /// <summary>Each named process, and "machine": every core's busy time (all processes, other users' included) and the memory in use.</summary>
    public Dictionary<string, ProcessSample> Sample()
    {
        var children = ChildrenByParent();
        var sample = roots.ToDictionary(r => r.Key, r =>
        {
            var (pids, tree) = r.Value;
            var members = tree ? pids.SelectMany(pid => Descendants(pid, children).Prepend(pid)).ToList() : [.. pids];
            var ticks = members.Sum(p => CpuTicks(p, reapedChildren: tree && pids.Contains(p)));
            var memoryKb = tree ? _treePeakKb[r.Key] = Math.Max(_treePeakKb.GetValueOrDefault(r.Key), members.Sum(p => StatusKb(p, "Pss:", "smaps_rollup")))
                : members.Sum(p => StatusKb(p, "VmHWM:", "status"));
            return new ProcessSample(ticks / TicksPerSecond, memoryKb / 1024);
        });
        sample["machine"] = Machine();
        return sample;
    }

    /// <summary>/proc/stat's first line: user, nice, system, idle, iowait, irq, softirq, steal (ticks, all cores); /proc/meminfo.</summary>
    static ProcessSample Machine()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var busy = ticks.Sum() - ticks[3] - ticks[4];
        long Mem(string field) => long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith(field, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new ProcessSample(busy / TicksPerSecond, (Mem("MemTotal:") - Mem("MemAvailable:")) / 1024);
    }

    public static Dictionary<string, ProcessUse> Between(Dictionary<string, ProcessSample> before, Dictionary<string, ProcessSample> after, TimeSpan window) =>
        after.ToDictionary(a => a.Key, a =>
        {
            var cpu = a.Value.CpuSeconds - (before.TryGetValue(a.Key, out var b) ? b.CpuSeconds : 0);
            return new ProcessUse(Math.Round(cpu, 2), Math.Round(100 * cpu / window.TotalSeconds, 1), a.Value.PeakMemoryMb);
        });

    /// <summary>Port → pid of the listening process, from `ss -ltnpH` (root sees every process's sockets).</summary>
    public static Dictionary<int, int> Listeners()
    {
        var result = new Dictionary<int, int>();
        using var ss = Process.Start(new ProcessStartInfo("ss", "-ltnpH") { RedirectStandardOutput = true })!;
        foreach (var line in ss.StandardOutput.ReadToEnd().Split('\n'))
        {
            var m = ListenLine().Match(line);
            if (m.Success) result.TryAdd(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        ss.WaitForExit();
        return result;
    }

    [GeneratedRegex(@":(\d+)\s+\S+\s+users:\(\(""[^""]*"",pid=(\d+)")]
    private static partial Regex ListenLine();

    static IEnumerable<int> Processes() => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(p => p > 0);

    static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
    }

    static Dictionary<int, List<int>> ChildrenByParent()
    {
        var result = new Dictionary<int, List<int>>();
        foreach (var pid in Processes())
        {
            if (StatFields($"/proc/{pid}/stat") is not { } f) continue;
            var parent = int.Parse(f[1], CultureInfo.InvariantCulture);
            if (!result.TryGetValue(parent, out var list)) result[parent] = list = [];
            list.Add(pid);
        }
        return result;
    }

    static IEnumerable<int> Descendants(int pid, Dictionary<int, List<int>> children) =>
        children.TryGetValue(pid, out var direct) ? direct.SelectMany(c => Descendants(c, children).Prepend(c)) : [];

    /// <summary>utime + stime (and cutime + cstime: children already reaped, e.g. PostgreSQL backends that ended), in ticks.</summary>
    static long CpuTicks(int pid, bool reapedChildren) =>
        StatFields($"/proc/{pid}/stat") is { } f ? CpuTicks(f) + (reapedChildren ? Field(f, 16) + Field(f, 17) : 0) : 0;

    /// <summary>utime + stime of a process's or a thread's stat fields (<see cref="StatFields"/>), in ticks.</summary>
    public static long CpuTicks(string[] stat) => Field(stat, 14) + Field(stat, 15);

    static long Field(string[] stat, int field) => long.Parse(stat[field - 3], CultureInfo.InvariantCulture); // stat[0] is field 3 (state)

    /// <summary>
    /// A stat file (/proc/pid/stat, or a thread's /proc/pid/task/tid/stat) from field 3 on (after the command name, which may
    /// hold spaces); null once the process or thread is gone.
    /// </summary>
    public static string[]? StatFields(string path)
    {
        try
        {
            var stat = File.ReadAllText(path);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
    }

    static long StatusKb(int pid, string field, string file)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/{file}").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }
}
