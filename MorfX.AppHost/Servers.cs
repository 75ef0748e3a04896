using Microsoft.Extensions.Configuration;
using MorfX.AppHost.LocalServers;
using MorfX.ServiceDefaults;

namespace MorfX.AppHost;

/// <summary>
/// PostgreSQL (one database per service) and RabbitMQ: Aspire's container resources where a container runtime is healthy,
/// otherwise the operating system's packages as resources (LocalServers). Either way a service gets its database and the
/// broker with WithReference + WaitFor, under the connection names it reads (ResourceNames).
/// </summary>
public sealed class Servers
{
    readonly Func<string, IResourceBuilder<IResourceWithConnectionString>> _database;

    Servers(IResourceBuilder<IResourceWithConnectionString> messaging, Func<string, IResourceBuilder<IResourceWithConnectionString>> database)
    {
        Messaging = messaging;
        _database = database;
    }

    public IResourceBuilder<IResourceWithConnectionString> Messaging { get; }

    /// <summary>The service database named <paramref name="name"/> (ConnectionStrings:name), in PostgreSQL as morfx_name.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Database(string name) => _database(name);

    public static Servers Add(IDistributedApplicationBuilder builder, string stateDirectory)
    {
        var settings = LocalServerSettings.From(builder.Configuration, stateDirectory);
        if (ContainerRuntime.IsHealthy(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]))
        {
            var postgres = builder.AddPostgres(ResourceNames.Postgres, port: settings.PostgresPort).WithDataVolume("morfx-postgres");
            var rabbit = builder.AddRabbitMQ(ResourceNames.Messaging, port: settings.AmqpPort).WithDataVolume("morfx-rabbitmq");
            return new Servers(rabbit.AsConnectionString(), name => postgres.AddDatabase(name, $"morfx_{name}").AsConnectionString());
        }
        var localPostgres = builder.AddLocalPostgres(ResourceNames.Postgres, settings);
        var localRabbit = builder.AddLocalRabbitMQ(ResourceNames.Messaging, settings);
        return new Servers(localRabbit.AsConnectionString(), name => localPostgres.AddDatabase(name, $"morfx_{name}").AsConnectionString());
    }
}
