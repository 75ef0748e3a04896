namespace MorfX.AppHost.LocalServers;

/// <summary>RabbitMQ from the operating system's packages, run by scripts/rabbitmq.sh as its own node on its own ports.</summary>
public sealed class LocalRabbitMQServerResource(string name, string scriptsDirectory, IReadOnlyDictionary<string, string> nodeEnvironment)
    : ExecutableResource(name, "bash", scriptsDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    /// <summary>The node's name, ports and folders, which scripts/rabbitmqctl.sh needs as well as the server.</summary>
    public IReadOnlyDictionary<string, string> NodeEnvironment { get; } = nodeEnvironment;

    public List<LocalRabbitMQUserResource> Users { get; } = [];

    // The default guest user, reachable on 127.0.0.1 only: the administrator's, for tools; each service has its own user.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)}/");
}
