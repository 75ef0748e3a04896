using System.Diagnostics;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AppHost.Tests;

/// <summary>
/// `dotnet run --project MorfX.AppHost` as a developer starts it (launch profile http: anonymous dashboard on :18888),
/// with its OS-package servers on ports and a state folder of their own, so it does not meet the servers of the other
/// test projects or of a developer's AppHost data. Stopped with SIGTERM, as Ctrl-C or `morfx down` would.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    public const string Dashboard = "http://localhost:18888";

    /// <summary>name → port of every service and emulator the AppHost starts (all of them: no real endpoint configured here).</summary>
    public static readonly IReadOnlyDictionary<string, int> Ports =
        ResourceMap.Current.Services.Concat(ResourceMap.Current.Emulators).ToDictionary(r => r.Name, r => r.Port);

    static readonly string[] Emulators = [.. ResourceMap.Current.Emulators.Select(e => e.Name)];

    readonly Process _process;
    readonly StringWriter _output = new();

    AppHostProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<AppHostProcess> StartAsync(TimeSpan healthyWithin)
    {
        foreach (var port in Ports.Values.Append(18888))
            if (TestInfrastructure.PortOpen(port))
                Assert.Fail($"port {port} is in use: an AppHost already runs here (deploy/local/morfx down stops it)");

        var psi = new ProcessStartInfo("dotnet", "run --project MorfX.AppHost --no-build --launch-profile http")
        {
            WorkingDirectory = TestInfrastructure.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var state = Path.Combine(TestInfrastructure.RepoRoot, ".morfx", "apphost-tests");
        psi.Environment["LocalServers__StateDirectory"] = state;
        psi.Environment["LocalServers__PostgresPort"] = "55451";
        psi.Environment["LocalServers__AmqpPort"] = "56711";
        psi.Environment["LocalServers__RabbitDistPort"] = "25671";
        psi.Environment["LocalServers__EpmdPort"] = "4371";
        psi.Environment["LocalServers__RabbitNode"] = "morfx-apphost-tests@localhost";
        psi.Environment["Parameters__auth-signing-key"] = TestInfrastructure.SigningKey;
        psi.Environment["Parameters__internal-service-key"] = TestInfrastructure.InternalKey;
        // Real endpoints configured in the environment would replace the emulators this test relies on.
        foreach (var variable in new[] { "MORFX_TWILIO_BASE_URL", "MORFX_SHOPIFY_ADMIN_BASE_URL", "MORFX_LLM_ENDPOINT", "MORFX_PUBLIC_WEBHOOK_URL" })
            psi.Environment.Remove(variable);

        var host = new AppHostProcess(Process.Start(psi)!);
        host._process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();

        var started = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!await AllReadyAsync(http))
        {
            if (host._process.HasExited) Assert.Fail($"the AppHost exited ({host._process.ExitCode}):\n{host.Output}");
            if (started.Elapsed > healthyWithin)
            {
                await host.DisposeAsync();
                Assert.Fail($"not healthy within {healthyWithin.TotalSeconds:F0} s:\n{host.Output}");
            }
            await Task.Delay(1000);
        }
        TestContext.Progress.WriteLine($"AppHost: every service healthy {started.Elapsed.TotalSeconds:F0} s after `dotnet run`");
        return host;
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.WriteLine(line);
    }

    static async Task<bool> AllReadyAsync(HttpClient http)
    {
        foreach (var (name, port) in Ports)
        {
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{port}/{(Emulators.Contains(name) ? "" : "health")}");
                if (!Emulators.Contains(name) && await response.Content.ReadAsStringAsync() != "Healthy") return false;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
        }
        return true;
    }

    /// <summary>SIGTERM, then waits until the AppHost and everything DCP started for it are gone (their ports closed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])!;
            await kill.WaitForExitAsync();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await _process.WaitForExitAsync(exited.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Ports.Values.Concat([55451, 56711]).Any(TestInfrastructure.PortOpen) && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        _process.Dispose();
    }
}
