using System.Diagnostics;

namespace MorfX.AppHost;

/// <summary>
/// Whether a container runtime answers (`docker info` or `podman info` succeeds). Without one, Aspire's container resources
/// show "Runtime unhealthy" and everything that waits for them waits forever, so the OS-package servers are used instead.
/// </summary>
public static class ContainerRuntime
{
    public static bool IsHealthy(string? configured)
    {
        // ASPIRE_CONTAINER_RUNTIME is Aspire's own setting; "none" forces the OS-package servers.
        if (string.Equals(configured, "none", StringComparison.OrdinalIgnoreCase)) return false;
        return Answers(configured ?? "docker") || (configured is null && Answers("podman"));
    }

    static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return false;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (process.WaitForExit(TimeSpan.FromSeconds(10))) return process.ExitCode == 0;
            process.Kill(entireProcessTree: true);
            return false;
        }
        catch (System.ComponentModel.Win32Exception) { return false; } // not installed
    }
}
