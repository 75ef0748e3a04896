using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace MorfX.AppHost.LocalServers;

/// <summary>Healthy when the service's user can log in to the broker: it exists, with the password the service is given.</summary>
public sealed class AmqpLoginHealthCheck(LocalRabbitMQUserResource user) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var factory = new ConnectionFactory
            {
                Uri = new Uri(await user.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? ""),
                RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
                AutomaticRecoveryEnabled = false,
            };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{user.UserName} cannot log in to the broker: {e.Message}");
        }
    }
}
