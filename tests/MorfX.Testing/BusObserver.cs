using System.Collections.Concurrent;
using MassTransit;
using MorfX.ServiceDefaults;

namespace MorfX.Testing;

/// <summary>
/// A test's own bus on the real broker (this run's virtual host): publishes what other services would, and records
/// every message of the types it subscribes to, as the services downstream would see them.
/// </summary>
public sealed class BusObserver : IAsyncDisposable
{
    readonly ConcurrentQueue<object> _messages = new();
    IBusControl _bus = null!;

    public IBus Bus => _bus;

    /// <param name="subscribe">Registers a handler per message type; each calls the given recorder with the message.</param>
    public static async Task<BusObserver> StartAsync(string queueName, Action<IReceiveEndpointConfigurator, Func<object, Task>> subscribe)
    {
        var observer = new BusObserver();
        observer._bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.AmqpUri), _ => { });
            // A test that sends a request does what config-api does, so its answer comes back as config-api's would (the
            // responder, sms-sender, may answer config-api's bus endpoints only).
            cfg.OverrideDefaultBusEndpointQueueName($"{BrokerPermissions.BusEndpointPrefix(ResourceNames.ConfigApi)}{Guid.NewGuid():N}");
            cfg.ReceiveEndpoint(queueName, e => subscribe(e, observer.Record));
        });
        await observer._bus.StartAsync();
        return observer;
    }

    Task Record(object message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<object> Messages => [.. _messages];

    public IReadOnlyList<T> All<T>(Func<T, bool> match) => [.. _messages.OfType<T>().Where(match)];

    /// <summary>Waits until a matching message has arrived and returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null, string? because = null) where T : class =>
        (await Eventually.Get(() => Task.FromResult(_messages.OfType<T>().FirstOrDefault(match)), m => m is not null,
            timeout ?? TimeSpan.FromSeconds(30), because ?? $"a {typeof(T).Name}"))!;

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
