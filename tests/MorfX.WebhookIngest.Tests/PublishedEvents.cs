using System.Collections.Concurrent;
using MassTransit;
using MorfX.Contracts;
using MorfX.Testing;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What webhook-ingest published, as a downstream service sees it: a bus on the real broker with its own durable queue
/// (durable so it keeps what arrives while RabbitMQ restarts in the outage test), bound to every event ingest publishes.
/// </summary>
public sealed class PublishedEvents : IAsyncDisposable
{
    readonly ConcurrentQueue<object> _messages = new();
    IBusControl? _bus;

    public static async Task<PublishedEvents> StartAsync()
    {
        var events = new PublishedEvents();
        events._bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.AmqpUri), _ => { });
            cfg.ReceiveEndpoint("webhook-ingest-tests-observer", e =>
            {
                e.Handler<ShopifyOrderCreated>(c => events.Add(c.Message));
                e.Handler<ShopifyOrderUpdated>(c => events.Add(c.Message));
                e.Handler<ShopifyDraftOrderCreated>(c => events.Add(c.Message));
                e.Handler<ShopifyWebhookDelivered>(c => events.Add(c.Message));
                e.Handler<TwilioStatusReported>(c => events.Add(c.Message));
            });
        });
        await events._bus.StartAsync();
        return events;
    }

    Task Add(object message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    public IReadOnlyList<T> All<T>(Func<T, bool> match) => [.. _messages.OfType<T>().Where(match)];

    /// <summary>Waits until a matching message has arrived and returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null, string? because = null) where T : class =>
        (await Eventually.Get(() => Task.FromResult(_messages.OfType<T>().FirstOrDefault(match)), m => m is not null,
            timeout, because ?? $"a {typeof(T).Name}"))!;

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
    }
}
