using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Twilio;

/// <summary>Runs <see cref="UnverifiedInbound.PassAsync"/> every <see cref="UnverifiedInboundOptions.Interval"/>, each pass in a scope of its own.</summary>
public sealed partial class UnverifiedInboundVerifier(IServiceScopeFactory scopes, UnverifiedInboundOptions options, ILogger<UnverifiedInboundVerifier> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Interval);
        while (await timer.WaitForNextTickAsync(ct).AsCancellable())
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<UnverifiedInbound>().PassAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogFailed(e.GetType().Name, e.Message);
            }
        }
    }

    [LoggerMessage(3128, LogLevel.Warning, "Verifying kept inbound SMS failed: {ErrorType} {ErrorMessage}; tried again next pass")]
    partial void LogFailed(string errorType, string errorMessage);
}
