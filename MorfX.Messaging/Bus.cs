using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Data;
using MorfX.Messaging.Fairness;
using MorfX.ServiceDefaults;

namespace MorfX.Messaging;

public static class BusExtensions
{
    /// <summary>In-process retries of a failed consumer before its message goes to <c>_error</c> (exponential, about 20 s in all).</summary>
    public const int MessageRetries = 6;

    /// <summary>
    /// How long a message waits between attempts while PostgreSQL is unreachable: doubling from 1 s to at most 30 s, until
    /// the waits add up to <see cref="DatabaseOutageWait"/>; then it goes to <c>_error</c> (decision 0032).
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DatabaseOutageIntervals = Doubling(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), DatabaseOutageWait);

    /// <summary>The least time a message waits for an unreachable database before it goes to <c>_error</c>.</summary>
    public static TimeSpan DatabaseOutageWait => TimeSpan.FromMinutes(10);

    /// <summary>Messages each receive endpoint takes at once (and handles concurrently) unless its definition says otherwise.</summary>
    public const int DefaultPrefetch = 32;

    /// <summary>True on the last in-process attempt: if this one throws, the message lands in its <c>_error</c> queue.</summary>
    public static bool IsLastRetry(this ConsumeContext context) => context.GetRetryAttempt() >= MessageRetries;

    /// <summary>
    /// MassTransit over RabbitMQ (ConnectionStrings:messaging, an amqp:// URI whose path is the virtual host),
    /// with one policy for every receive endpoint: retry with backoff, then the in-memory outbox so a
    /// consumer's messages go out only when it succeeds; what still fails lands in its `_error` queue.
    /// Queue names are kebab-case, prefixed with the service name so two services never share a queue.
    /// </summary>
    public static WebApplicationBuilder AddServiceBus(
        this WebApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var uri = new Uri(builder.Configuration.RequireConnectionString(ResourceNames.Messaging));
        // Start-up waits for the broker: a host that has started is consuming, and one stopped during start-up stops its bus
        // (otherwise the bus connects in the background and can outlive a host stopped early).
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddFairPublishing();
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            // MassTransit reports each bus's host, endpoints and configuration to its vendor unless told not to: nothing about a
            // deployment leaves it unasked (decision 0001).
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            configure?.Invoke(x);
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                // While PostgreSQL is unreachable a message waits in place, unacknowledged (a crash loses nothing), with backoff,
                // instead of spending its quick retries and landing in _error; anything else gets the quick retries (decision 0032).
                endpoint.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(DatabaseUnavailable.Is);
                    r.Intervals([.. DatabaseOutageIntervals]);
                });
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Exception>(DatabaseUnavailable.Is);
                    r.Exponential(MessageRetries, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(300));
                });
                endpoint.UseInMemoryOutbox(context);
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(uri, h => h.PublisherConfirmation = true);
                // Named after the service, not the host, so the broker permissions can let a responder answer it anywhere.
                cfg.OverrideDefaultBusEndpointQueueName($"{BrokerPermissions.BusEndpointPrefix(serviceName)}{Guid.NewGuid():N}");
                // MassTransit's default, min(2 x cores, 16), leaves the CPU idle while consumers wait on the database or Twilio
                // (decision 0020). Endpoints that need another figure set their own.
                cfg.PrefetchCount = DefaultPrefetch;
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>Waits from <paramref name="first"/>, doubling up to <paramref name="cap"/>, until they add up to at least <paramref name="total"/>.</summary>
    public static IReadOnlyList<TimeSpan> Doubling(TimeSpan first, TimeSpan cap, TimeSpan total)
    {
        var waits = new List<TimeSpan>();
        for (var (next, sum) = (first, TimeSpan.Zero); sum < total; sum += waits[^1], next = next * 2 < cap ? next * 2 : cap)
            waits.Add(next);
        return waits;
    }
}
