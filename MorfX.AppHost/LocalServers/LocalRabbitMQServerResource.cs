namespace MorfX.AppHost.LocalServers;

/// <summary>RabbitMQ from the operating system's packages, run by scripts/rabbitmq.sh as its own node on its own ports.</summary>
public sealed class LocalRabbitMQServerResource(string name, string scriptsDirectory)
    : ExecutableResource(name, "bash", scriptsDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    // The default guest user, reachable on 127.0.0.1 only: a development broker.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)}/");
}
