using RabbitMQ.Client;

namespace MorfX.Testing;

/// <summary>
/// A consumer queue that hears nothing of one message type while this lives: the binding from the message type's exchange to
/// the exchange of the queue's name (MassTransit's topology) is removed, so whatever is published meanwhile is lost to it, as
/// when a temporary queue is gone. Disposing binds it again. (A temporary queue is exclusive: only its exchange can be unbound.)
/// </summary>
public sealed class UnboundQueue : IAsyncDisposable
{
    readonly string _queue, _messageExchange;

    UnboundQueue(string queue, string messageExchange) => (_queue, _messageExchange) = (queue, messageExchange);

    /// <param name="address">The receive endpoint's address (rabbitmq://host/vhost/queue?temporary=true).</param>
    /// <param name="messageType">The message type whose exchange stops reaching the queue.</param>
    public static async Task<UnboundQueue> StartAsync(Uri address, Type messageType)
    {
        var queue = new UnboundQueue(address.Segments[^1], $"{messageType.Namespace}:{messageType.Name}");
        await queue.ChangeAsync(bind: false);
        return queue;
    }

    async Task ChangeAsync(bool bind)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.AmqpUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        if (bind) await channel.ExchangeBindAsync(_queue, _messageExchange, "");
        else await channel.ExchangeUnbindAsync(_queue, _messageExchange, "");
    }

    public async ValueTask DisposeAsync() => await ChangeAsync(bind: true);
}
