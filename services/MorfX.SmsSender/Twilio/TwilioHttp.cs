using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;
using Polly;
using Polly.Timeout;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace MorfX.SmsSender.Twilio;

/// <summary>
/// The HTTP under the Twilio SDK: IHttpClientFactory's named client <see cref="TwilioRestClients.HttpClientName"/>, redirected
/// to Twilio:BaseUrl, with one Microsoft.Extensions.Http.Resilience pipeline — an overall timeout, retries, a per-attempt
/// timeout. A message create (POST) is retried ONLY when Twilio cannot have processed it: 429 (honouring Retry-After) or a
/// refused connection. Its timeouts, resets and 5xx are ambiguous and go back to the dispatcher, which finds the message
/// instead of posting it again. Reads (GET) are also retried on 5xx, timeouts and connection faults.
/// Settings: <see cref="TwilioOptions"/>.
/// </summary>
public static class TwilioHttp
{
    public static void AddTwilioClient(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TwilioRestClients>();
        builder.Services.AddSingleton<TwilioMessagesClient>();
        builder.Services.AddHttpClient(TwilioRestClients.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            // This pipeline alone decides retries and timeouts (never a blind re-send): not the ServiceDefaults' standard handler.
            .WithoutStandardResilience()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddHttpMessageHandler(sp => new TwilioBaseUrlHandler(
                sp.GetRequiredService<IOptions<TwilioOptions>>().Value.BaseUrl is { } url ? new Uri(url.ToString().TrimEnd('/') + "/") : null))
            .AddResilienceHandler("twilio", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TwilioOptions>>().Value;
                var maxDelay = TimeSpan.FromSeconds(10);
                pipeline.AddTimeout(options.TotalTimeout);
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method)),
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    MaxDelay = maxDelay,
                    ShouldRetryAfterHeader = true,
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        // The first send's first-time work at start-up, not in the first SMS after a start: the handler chain above, the SDK's
        // request parameters, and its reading of a message (Newtonsoft's contract for MessageResource, built by reflection).
        builder.Services.AddStartupWarmup("Twilio client", (sp, ct) =>
        {
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(TwilioRestClients.HttpClientName).Dispose();
            _ = new CreateMessageOptions(new PhoneNumber("+15005550006")) { From = new PhoneNumber("+15005550006"), Body = "-" }.GetParams();
            _ = MessageResource.FromJson(WarmupMessage);
            return Task.CompletedTask;
        });
    }

    const string WarmupMessage = """{"sid":"SM00000000000000000000000000000000","status":"queued","num_segments":"1","price":null,"error_code":null}""";

    /// <summary>What may be sent again. Public for the unit tests: it is the rule that keeps a create from duplicating.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        if (outcome.Result is { } response)
            return response.StatusCode == HttpStatusCode.TooManyRequests
                || (method == HttpMethod.Get && (int)response.StatusCode >= 500);
        return outcome.Exception switch
        {
            { } e when TwilioMessagesClient.IsRefused(e) => true,
            HttpRequestException or TimeoutRejectedException => method == HttpMethod.Get,
            _ => false,
        };
    }
}
