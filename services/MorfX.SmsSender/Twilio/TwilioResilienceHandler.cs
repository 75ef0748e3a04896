using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MorfX.SmsSender.Twilio;

/// <summary>
/// Runs every Twilio call through one Polly pipeline: an overall timeout, then retries with jittered exponential
/// backoff on 429 (Twilio 20429: never processed, always safe), 5xx, connection faults and per-attempt timeouts,
/// honouring Retry-After. Permanent answers (other 4xx: 21211, 21408, 21610, 21614, 20003…) pass straight through.
/// Settings: Twilio:MaxRetries (4), Twilio:RetryBaseDelay (00:00:00.5), Twilio:AttemptTimeout (00:00:05), Twilio:TotalTimeout (00:00:12;
/// shorter than config-api's 15 s wait for the test SMS answer).
/// </summary>
public sealed partial class TwilioResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        await pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), ct);

    public static ResiliencePipeline<HttpResponseMessage> BuildPipeline(IConfiguration config, ILogger logger)
    {
        var maxDelay = TimeSpan.FromSeconds(10);
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(config.GetValue("Twilio:TotalTimeout", TimeSpan.FromSeconds(12)))
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                MaxRetryAttempts = config.GetValue("Twilio:MaxRetries", 4),
                Delay = config.GetValue("Twilio:RetryBaseDelay", TimeSpan.FromMilliseconds(500)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = maxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.Headers.RetryAfter?.Delta is { } after ? (TimeSpan?)(after < maxDelay ? after : maxDelay) : null),
                OnRetry = args =>
                {
                    LogRetry(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode, args.Outcome.Exception?.GetType().Name, args.RetryDelay);
                    // The failed response is not handed to anyone: free its connection.
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(config.GetValue("Twilio:AttemptTimeout", TimeSpan.FromSeconds(5)))
            .Build();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Twilio call failed transiently (status {StatusCode}, {Exception}); retry {Attempt} in {Delay}")]
    static partial void LogRetry(ILogger logger, int attempt, int? statusCode, string? exception, TimeSpan delay);
}
