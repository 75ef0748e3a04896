using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MorfX.AppHost.LocalServers;

/// <summary>
/// Healthy when the broker answers the AMQP 0-9-1 protocol header with a method frame (connection.start): the node has
/// booted, not merely opened its port.
/// </summary>
public sealed class AmqpHealthCheck(int port) : IHealthCheck
{
    static readonly byte[] ProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();
    const byte MethodFrame = 1;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(ProtocolHeader, timeout.Token);
            var first = new byte[1];
            var read = await stream.ReadAsync(first, timeout.Token);
            return read == 1 && first[0] == MethodFrame
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the broker did not answer the AMQP handshake");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"no AMQP broker on 127.0.0.1:{port}", e);
        }
    }
}
