using Microsoft.Extensions.DependencyInjection;
using Npgsql;

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
            .WithEndpoint(port: settings.PostgresPort, targetPort: settings.PostgresPort, scheme: "tcp",
                name: LocalPostgresServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheck)
            .WithIconName("DatabaseStack")
            .OnResourceReady(CreateDatabasesAsync);
    }

    /// <summary>A service's own database; the AppHost creates it once the server is healthy, and it is healthy once it answers.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string databaseName)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName, server.Resource);
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

    static async Task CreateDatabasesAsync(LocalPostgresServerResource server, ResourceReadyEvent ready, CancellationToken ct)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(ct);
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(ct);
        foreach (var database in server.Databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database.DatabaseName);
            if (await exists.ExecuteScalarAsync(ct) is not null) continue;
            // Identifiers cannot be parameters; the names are this AppHost's own constants.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        // A database has no process of its own: it runs once it exists (then its health check decides "healthy").
        var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in server.Databases)
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
    }

    public static IResourceBuilder<LocalRabbitMQServerResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, LocalServerSettings settings)
    {
        var broker = new LocalRabbitMQServerResource(name, ScriptsDirectory(builder));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheck, _ => new AmqpHealthCheck(settings.AmqpPort), failureStatus: null, tags: null));

        return builder.AddResource(broker)
            .WithArgs("rabbitmq.sh")
            .WithEnvironment("AMQP_PORT", settings.AmqpPort.ToString())
            .WithEnvironment("RABBIT_NODE", settings.RabbitNode)
            .WithEnvironment("RABBIT_DIST_PORT", settings.RabbitDistPort.ToString())
            .WithEnvironment("ERL_EPMD_PORT", settings.EpmdPort.ToString())
            .WithEnvironment("RABBIT_STATE", Path.Combine(settings.StateDirectory, $"rabbitmq-{settings.AmqpPort}"))
            .WithEndpoint(port: settings.AmqpPort, targetPort: settings.AmqpPort, scheme: "tcp",
                name: LocalRabbitMQServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheck)
            .WithIconName("Mailbox");
    }
}
