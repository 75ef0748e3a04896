using System.Runtime.InteropServices;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// The clock a render's time budget runs on: the CPU time of the rendering thread (a render is synchronous, one thread from
/// start to end), so only the render's own work counts. On a busy machine a thread waits for a core, or for another
/// process's turn; wall time would charge that wait to the template and fail a small one.
/// Where the thread's CPU clock cannot be read (not Linux), wall time stands in.
/// </summary>
static class RenderClock
{
    const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec time);

    // Decided once: a deadline and its checks must read the same clock.
    static readonly bool ThreadCpuAvailable = OperatingSystem.IsLinux() && Readable();

    /// <summary>Milliseconds on this clock; only differences between two readings on one thread mean anything.</summary>
    public static long NowMs() => ThreadCpuAvailable ? ThreadCpuMs() : Environment.TickCount64;

    static long ThreadCpuMs()
    {
        ClockGetTime(ClockThreadCpuTimeId, out var t);
        return t.Seconds * 1000 + t.Nanoseconds / 1_000_000;
    }

    static bool Readable()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
