using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MorfX.ServiceDefaults;

/// <summary>
/// First-time work done once after start-up, so the first order after a start does not pay for it: a client's first call
/// (its connection, and the other service's own first request), a library's first serializer or template compile. Each step
/// is a read or in-process work a service registers with <see cref="AddStartupWarmup"/>; they run in the background once
/// the host has started (every hosted service's start done, the schema migrations included; readiness never waits for them),
/// and a step that fails, a dependency not up yet, is skipped: the first real request does that work instead.
/// </summary>
public static partial class StartupWarmup
{
    public sealed record Step(string Name, Func<IServiceProvider, CancellationToken, Task> Run);

    public static IServiceCollection AddStartupWarmup(this IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task> run)
    {
        services.AddSingleton(new Step(name, run));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Runner>());
        return services;
    }

    sealed partial class Runner(
        IEnumerable<Step> steps, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<Runner> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(started.SetResult))
            using (stoppingToken.Register(() => started.TrySetCanceled()))
            {
                try { await started.Task; }
                catch (OperationCanceledException) { return; }
            }
            foreach (var step in steps)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var at = TimeProvider.System.GetTimestamp();
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await step.Run(scope.ServiceProvider, timeout.Token);
                    LogWarmed(step.Name, TimeProvider.System.GetElapsedTime(at).TotalMilliseconds);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSkipped(step.Name, e.GetType().Name);
                }
            }
        }

        [LoggerMessage(9301, LogLevel.Debug, "Warmed {Step} in {Milliseconds:0} ms")]
        partial void LogWarmed(string step, double milliseconds);

        [LoggerMessage(9302, LogLevel.Debug, "Warm-up step {Step} skipped ({ErrorType}); the first request does its work")]
        partial void LogSkipped(string step, string errorType);
    }
}
