using System.Text;
using MorfX.ServiceDefaults;

namespace MorfX.UnitTests;

/// <summary>
/// The Kubernetes manifests generated from deploy/resources.json: each service's RabbitMQ user and permissions
/// (<see cref="BrokerPermissions"/>) and its PostgreSQL access rules (<see cref="PostgresAccess"/>), the same the local
/// AppHost applies. <see cref="DeployedTopologyTests"/> fails when the committed files differ, and writes them anew when
/// MORFX_WRITE_GENERATED=1.
/// </summary>
static class DeployedTopology
{
    public const string RabbitMqUsersPath = "deploy/k8s/base/rabbitmq-users.yaml";
    public const string PostgresAccessPath = "deploy/k8s/base/postgres-access.yaml";

    const string Generated = """
        # Generated from deploy/resources.json by MorfX.UnitTests (DeployedTopologyTests): do not edit. Change the resource map,
        # then run `MORFX_WRITE_GENERATED=1 dotnet test tests/MorfX.UnitTests --filter DeployedTopologyTests`.
        """;

    public static string RabbitMqUsers(ResourceMap map)
    {
        var yaml = new StringBuilder(Generated).Append('\n').Append("""
            # One RabbitMQ user per service (Messaging Topology Operator, rabbitmq.com/v1beta1 User and Permission); the local AppHost
            # creates the same users with the same permissions (rabbitmqctl), so every local run and the end-to-end suite use them.
            # MassTransit names the entities: queues, their exchanges and _error queues "<service>-<consumer>", the bus endpoint
            # "<service>-bus-<id>"; message exchanges [EntityName] or "Namespace:Type", and "MassTransit:Fault--…" for faults.
            # configure = declare, write = publish to or bind into, read = consume or bind from. The operator writes each user's
            # credentials to the secret <name>-user-credentials, which the service reads.
            """).Append('\n');
        foreach (var service in map.Services)
        {
            var permissions = BrokerPermissions.For(service);
            yaml.Append($$"""
                ---
                apiVersion: rabbitmq.com/v1beta1
                kind: User
                metadata:
                  name: {{service.Name}}-rabbitmq
                  labels:
                    app.kubernetes.io/name: {{service.Name}}
                spec:
                  rabbitmqClusterReference: {name: morfx-rabbitmq}
                ---
                apiVersion: rabbitmq.com/v1beta1
                kind: Permission
                metadata:
                  name: {{service.Name}}-rabbitmq
                  labels:
                    app.kubernetes.io/name: {{service.Name}}
                spec:
                  vhost: /
                  userReference: {name: {{service.Name}}-rabbitmq}
                  rabbitmqClusterReference: {name: morfx-rabbitmq}
                  permissions:
                    configure: '{{permissions.Configure}}'
                    write: '{{permissions.Write}}'
                    read: '{{permissions.Read}}'

                """);
        }
        return yaml.ToString();
    }

    public static string PostgresAccess(ResourceMap map)
    {
        var yaml = new StringBuilder(Generated).Append('\n').Append("""
            # A patch of the CloudNativePG cluster (postgres.yaml): each service's role may log in to its own database only. These
            # rules come before CloudNativePG's own "host all all all"; the local AppHost's PostgreSQL gets the same (postgres.sh).
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata:
              name: morfx-postgres
            spec:
              postgresql:
                pg_hba:
            """).Append('\n');
        foreach (var rule in ServiceDefaults.PostgresAccess.HbaRules(map, database => database)) yaml.Append($"      - {rule}\n");
        return yaml.ToString();
    }
}
