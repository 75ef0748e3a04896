using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MorfX.ServiceDefaults;
using NUnit.Framework;

namespace MorfX.UnitTests;

public class StartupWarmupTests
{
    [Test]
    public async Task Each_step_runs_once_after_start_and_a_failing_one_neither_stops_the_host_nor_the_steps_after_it()
    {
        var ran = new List<string>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddStartupWarmup("config-api down", (_, _) => throw new HttpRequestException("connection refused"));
        builder.Services.AddStartupWarmup("templates", (_, _) => { lock (ran) ran.Add("templates"); return Task.CompletedTask; });
        builder.Services.AddStartupWarmup("queries", (_, _) => { lock (ran) ran.Add("queries"); last.SetResult(); return Task.CompletedTask; });
        using var host = builder.Build();

        await host.StartAsync();
        await last.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await host.StopAsync();

        Assert.That(ran, Is.EqualTo(new[] { "templates", "queries" }));
    }
}
