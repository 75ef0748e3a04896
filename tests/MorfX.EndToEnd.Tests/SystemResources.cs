using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// What ops do to a resource from the dashboard, done by a test through Aspire's own services: the resource commands
/// (start, stop, restart) and the resource's process id from its notifications (to SIGKILL it, which no command does).
/// </summary>
public sealed class SystemResources(DistributedApplication app)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    ResourceNotificationService Notifications => app.Services.GetRequiredService<ResourceNotificationService>();

    public IResource Get(string name) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    public Task StartAsync(string name) => CommandAsync(name, KnownResourceCommands.StartCommand);

    /// <summary>The last lines the resource wrote to its console, as the dashboard shows them: what a person would read when it fails.</summary>
    public async Task<string> ConsoleAsync(string name, int lines = 60)
    {
        var seen = new List<string>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(name).WithCancellation(enough.Token))
                seen.AddRange(batch.Select(l => l.Content));
        }
        catch (OperationCanceledException) { }
        return string.Join('\n', seen.TakeLast(lines));
    }

    public Task RestartAsync(string name) => CommandAsync(name, KnownResourceCommands.RestartCommand);

    /// <summary>Stops the resource as the dashboard's Stop does (DCP sends SIGTERM) and waits until its process is gone.</summary>
    public async Task StopAsync(string name)
    {
        await CommandAsync(name, KnownResourceCommands.StopCommand);
        await WaitStoppedAsync(name);
    }

    /// <summary>SIGKILL to the resource's process tree (`dotnet run` and the service under it): no graceful shutdown.</summary>
    public async Task KillAsync(string name)
    {
        if (await ProcessIdAsync(name) is not { } pid) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (ArgumentException) { } // already gone
        await WaitStoppedAsync(name);
    }

    public async Task<bool> IsRunningAsync(string name) => (await CurrentAsync(name)).Snapshot.State?.Text == KnownResourceStates.Running;

    /// <summary>The pid DCP reports for a running resource (executable.pid), or null when it runs no process.</summary>
    public async Task<int?> ProcessIdAsync(string name)
    {
        var current = await CurrentAsync(name);
        return current.Snapshot.State?.Text == KnownResourceStates.Running ? Pid(current) : null;
    }

    /// <summary>Waits until the resource runs a process other than <paramref name="previousPid"/> (a restart has happened).</summary>
    public async Task<int> WaitRunningAsync(string name, int? previousPid = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var running = await Notifications.WaitForResourceAsync(name, e => e.Snapshot.State?.Text == KnownResourceStates.Running
            && Pid(e) is { } pid && pid != previousPid, timeout.Token);
        return Pid(running)!.Value;
    }

    public async Task WaitHealthyAsync(string name)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await Notifications.WaitForResourceHealthyAsync(name, timeout.Token);
    }

    /// <summary>The resource's latest snapshot (the notification service replays the current state to a new watcher).</summary>
    async Task<ResourceEvent> CurrentAsync(string name)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await Notifications.WaitForResourceAsync(name, _ => true, timeout.Token);
    }

    static int? Pid(ResourceEvent e) => e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
        ? Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture) : null;

    async Task WaitStoppedAsync(string name)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await Notifications.WaitForResourceAsync(name, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    async Task CommandAsync(string name, string command)
    {
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(Get(name), command);
        if (!result.Success) throw new InvalidOperationException($"{command} {name}: {result.Message}");
    }
}
