using MorfX.ServiceDefaults;

namespace MorfX.AppHost.LocalServers;

/// <summary>
/// One service's user on the local RabbitMQ node, with the permissions deploy/k8s gives it (<see cref="BrokerPermissions"/>);
/// created by the AppHost with rabbitmqctl when the node is ready, and running once it exists.
/// </summary>
public sealed class LocalRabbitMQUserResource(
    string name, string userName, ParameterResource password, BrokerPermissions permissions, LocalRabbitMQServerResource parent)
    : Resource(name), IResourceWithParent<LocalRabbitMQServerResource>, IResourceWithConnectionString
{
    public LocalRabbitMQServerResource Parent { get; } = parent;

    public string UserName { get; } = userName;

    public ParameterResource Password { get; } = password;

    public BrokerPermissions Permissions { get; } = permissions;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserName}:{Password}@127.0.0.1:{Parent.PrimaryEndpoint.Property(EndpointProperty.Port)}/");
}
