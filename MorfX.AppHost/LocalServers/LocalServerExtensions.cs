using Microsoft.Extensions.DependencyInjection;
using MorfX.ServiceDefaults;

namespace MorfX.AppHost.LocalServers;

/// <summary>
/// PostgreSQL and RabbitMQ from the operating system's packages as Aspire resources, for machines without a container
/// runtime: each has a fixed non-proxied endpoint, a connection string, a health check (so WaitFor works) and its own data
/// folder under the state folder. The scripts install the packages when they are missing.
/// </summary>
public static class LocalServerExtensions
{
    static string ScriptsDirectory(IDistributedApplicationBuilder builder) =>
        Path.Combine(builder.AppHostDirectory, "LocalServers", "scripts");

    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, LocalServerSettings settings)
    {
        var server = new LocalPostgresServerResource(name, ScriptsDirectory(builder));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            $"Host=127.0.0.1;Port={settings.PostgresPort};Username=postgres;Password=postgres;Timeout=3", name: healthCheck);

        return builder.AddResource(server)
            .WithArgs("postgres.sh")
            .WithEnvironment("PG_PORT", settings.PostgresPort.ToString())
            .WithEnvironment("PG_DATA", Path.Combine(settings.StateDirectory, $"postgres-{settings.PostgresPort}"))
            .WithEnvironment("PG_DURABLE", settings.PostgresDurable ? "1" : "0")
            .WithEnvironment("PG_HBA_RULES", string.Join('\n', PostgresAccess.HbaRules(ResourceMap.Current, DatabaseName)))
            .WithEndpoint(port: settings.PostgresPort, targetPort: settings.PostgresPort, scheme: "tcp",
                name: LocalPostgresServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheck)
            .WithIconName("DatabaseStack")
            .OnResourceReady(ServiceAccounts.CreateDatabasesAsync);
    }

    /// <summary>A service database's name on the local server.</summary>
    public static string DatabaseName(string database) => $"morfx_{database}";

    /// <summary>
    /// A service's own database and role (named <paramref name="name"/>, as in Kubernetes); the AppHost creates both once the
    /// server is healthy, and the database is healthy once it answers.
    /// </summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, IResourceBuilder<ParameterResource> password)
    {
        var databaseName = DatabaseName(name);
        var database = new LocalPostgresDatabaseResource(name, databaseName, name, password.Resource, server.Resource);
        server.Resource.Databases.Add(database);
        var healthCheck = $"{name}_check";
        var port = server.Resource.Annotations.OfType<EndpointAnnotation>().Single().Port;
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database={databaseName};Timeout=3", name: healthCheck);
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new(CustomResourceKnownProperties.Source, databaseName)],
            })
            .WithHealthCheck(healthCheck)
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalRabbitMQServerResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, LocalServerSettings settings)
    {
        var nodeEnvironment = new Dictionary<string, string>
        {
            ["AMQP_PORT"] = settings.AmqpPort.ToString(),
            ["RABBIT_NODE"] = settings.RabbitNode,
            ["RABBIT_DIST_PORT"] = settings.RabbitDistPort.ToString(),
            ["ERL_EPMD_PORT"] = settings.EpmdPort.ToString(),
            ["RABBIT_STATE"] = Path.Combine(settings.StateDirectory, $"rabbitmq-{settings.AmqpPort}"),
        };
        var broker = new LocalRabbitMQServerResource(name, ScriptsDirectory(builder), nodeEnvironment);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheck, _ => new AmqpHealthCheck(settings.AmqpPort), failureStatus: null, tags: null));

        var resource = builder.AddResource(broker).WithArgs("rabbitmq.sh");
        foreach (var (key, value) in nodeEnvironment) resource.WithEnvironment(key, value);
        return resource
            .WithEndpoint(port: settings.AmqpPort, targetPort: settings.AmqpPort, scheme: "tcp",
                name: LocalRabbitMQServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheck)
            .WithIconName("Mailbox")
            .OnResourceReady(ServiceAccounts.CreateBrokerUsersAsync);
    }

    /// <summary>A service's own broker user with its permissions; the AppHost creates it with rabbitmqctl once the node is healthy.</summary>
    public static IResourceBuilder<LocalRabbitMQUserResource> AddUser(
        this IResourceBuilder<LocalRabbitMQServerResource> broker, MappedResource service, IResourceBuilder<ParameterResource> password)
    {
        var user = new LocalRabbitMQUserResource(
            $"{broker.Resource.Name}-{service.Name}", service.Name, password.Resource, BrokerPermissions.For(service), broker.Resource);
        broker.Resource.Users.Add(user);
        var healthCheck = $"{user.Name}_check";
        broker.ApplicationBuilder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheck, _ => new AmqpLoginHealthCheck(user), failureStatus: null, tags: null));
        return broker.ApplicationBuilder.AddResource(user)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "RabbitMQUser",
                State = KnownResourceStates.Waiting,
                Properties = [new(CustomResourceKnownProperties.Source, service.Name)],
            })
            .WithHealthCheck(healthCheck)
            .WithIconName("Person")
            .ExcludeFromManifest();
    }
}
