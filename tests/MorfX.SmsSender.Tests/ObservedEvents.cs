using System.Collections.Concurrent;
using MassTransit;
using MorfX.Contracts;
using MorfX.Testing;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// The test's own bus on the real broker: publishes what other services would (SmsRequested, TwilioStatusReported),
/// sends SendTestSms requests, and records every event sms-sender publishes, as usage-api and config-api would see them.
/// </summary>
public sealed class ObservedEvents : IAsyncDisposable
{
    readonly ConcurrentQueue<object> _messages = new();
    IBusControl _bus = null!;

    public IBus Bus => _bus;

    public static async Task<ObservedEvents> StartAsync()
    {
        var events = new ObservedEvents();
        events._bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.AmqpUri), _ => { });
            cfg.ReceiveEndpoint("sms-sender-tests-observer", e =>
            {
                e.Handler<SmsSent>(c => events.Add(c.Message));
                e.Handler<SmsFailed>(c => events.Add(c.Message));
                e.Handler<SmsStatusChanged>(c => events.Add(c.Message));
                e.Handler<SmsPriced>(c => events.Add(c.Message));
                e.Handler<TwilioCredentialsRejected>(c => events.Add(c.Message));
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

    /// <summary>Waits until a matching event has arrived and returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, string? because = null) where T : class =>
        (await Eventually.Get(() => Task.FromResult(_messages.OfType<T>().FirstOrDefault(match)), m => m is not null,
            TimeSpan.FromSeconds(30), because ?? $"a {typeof(T).Name}"))!;

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
