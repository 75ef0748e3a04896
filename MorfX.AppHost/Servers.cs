using Microsoft.Extensions.Configuration;
using MorfX.AppHost.LocalServers;
using MorfX.ServiceDefaults;

namespace MorfX.AppHost;

/// <summary>
/// PostgreSQL (one database per service) and RabbitMQ: Aspire's container resources where a container runtime is healthy,
/// otherwise the operating system's packages as resources (LocalServers). Either way a service gets its database and the
/// broker with WithReference + WaitFor, under the connection names it reads (ResourceNames). On the OS-package servers each
/// service logs in as itself, with the role and permissions Kubernetes gives it (PostgresAccess, BrokerPermissions); the
/// container resources share their default users (no container runtime runs where the tests run).
/// </summary>
public sealed class Servers
{
    readonly Func<MappedResource, IResourceBuilder<IResourceWithConnectionString>> _database;
    readonly Func<MappedResource, IResourceBuilder<IResourceWithConnectionString>> _messaging;

    Servers(Func<MappedResource, IResourceBuilder<IResourceWithConnectionString>> database,
        Func<MappedResource, IResourceBuilder<IResourceWithConnectionString>> messaging)
    {
        _database = database;
        _messaging = messaging;
    }

    /// <summary>The service's own database (ConnectionStrings:&lt;database&gt;), in PostgreSQL as morfx_&lt;database&gt;.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Database(MappedResource service) => _database(service);

    /// <summary>The broker as the service's own user (ConnectionStrings:messaging).</summary>
    public IResourceBuilder<IResourceWithConnectionString> Messaging(MappedResource service) => _messaging(service);

    /// <summary>The parameters holding each service's database and broker passwords (DevelopmentSecrets makes them).</summary>
    public static IEnumerable<string> PasswordParameters(ResourceMap map) =>
        map.Services.SelectMany(s => new[] { DatabasePassword(s), BrokerPassword(s) });

    static string DatabasePassword(MappedResource service) => $"{service.Name}-db-password";

    static string BrokerPassword(MappedResource service) => $"{service.Name}-bus-password";

    public static Servers Add(IDistributedApplicationBuilder builder, string stateDirectory)
    {
        var settings = LocalServerSettings.From(builder.Configuration, stateDirectory);
        string DatabaseOf(MappedResource service) =>
            service.Database ?? throw new InvalidOperationException($"{service.Name} has no database in deploy/resources.json");
        if (ContainerRuntime.IsHealthy(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]))
        {
            var postgres = builder.AddPostgres(ResourceNames.Postgres, port: settings.PostgresPort).WithDataVolume("morfx-postgres");
            var rabbit = builder.AddRabbitMQ(ResourceNames.Messaging, port: settings.AmqpPort).WithDataVolume("morfx-rabbitmq");
            return new Servers(
                s => postgres.AddDatabase(DatabaseOf(s), LocalServerExtensions.DatabaseName(DatabaseOf(s))).AsConnectionString(),
                _ => rabbit.AsConnectionString());
        }
        var localPostgres = builder.AddLocalPostgres(ResourceNames.Postgres, settings);
        var localRabbit = builder.AddLocalRabbitMQ(ResourceNames.Messaging, settings);
        return new Servers(
            s => localPostgres.AddDatabase(DatabaseOf(s), builder.AddParameter(DatabasePassword(s), secret: true)).AsConnectionString(),
            s => localRabbit.AddUser(s, builder.AddParameter(BrokerPassword(s), secret: true)).AsConnectionString());
    }
}
