using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MorfX.ServiceDefaults;
using Npgsql;

namespace MorfX.AppHost.LocalServers;

/// <summary>
/// Each service's own PostgreSQL role and RabbitMQ user on the local servers, made as Kubernetes makes them: a role that owns
/// its database and may reach no other (pg_hba.conf, scripts/postgres.sh), a broker user with the generated permissions.
/// Run whenever a server becomes ready; each step is idempotent and keeps the passwords in step with the parameters.
/// </summary>
static class ServiceAccounts
{
    public static async Task CreateDatabasesAsync(LocalPostgresServerResource server, ResourceReadyEvent ready, CancellationToken ct)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(ct) ?? throw new InvalidOperationException($"{server.Name} has no connection string");
        await using (var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false"))
        {
            await connection.OpenAsync(ct);
            foreach (var database in server.Databases)
            {
                // Identifiers and the password cannot be parameters of DDL; the names are this AppHost's own constants.
                var password = (await database.Password.GetValueAsync(ct) ?? "").Replace("'", "''");
                await ExecuteAsync(connection, $"""
                    DO $$ BEGIN CREATE ROLE "{database.Role}"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
                    ALTER ROLE "{database.Role}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
                    """, ct);
                if (await ScalarAsync(connection, $"SELECT 1 FROM pg_database WHERE datname = '{database.DatabaseName}'", ct) is null)
                    await ExecuteAsync(connection, $"CREATE DATABASE \"{database.DatabaseName}\" OWNER \"{database.Role}\"", ct);
                else
                    await ExecuteAsync(connection, $"ALTER DATABASE \"{database.DatabaseName}\" OWNER TO \"{database.Role}\"", ct);
            }
        }
        foreach (var database in server.Databases) await GiveTablesToOwnerAsync(connectionString, database, ct);
        // A database has no process of its own: it runs once it exists (then its health check decides "healthy").
        var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in server.Databases)
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
    }

    /// <summary>A database made before services had roles holds the superuser's tables: the service's role takes them over.</summary>
    static async Task GiveTablesToOwnerAsync(string serverConnectionString, LocalPostgresDatabaseResource database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection($"{serverConnectionString};Database={database.DatabaseName};Pooling=false");
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, $"""
            DO $$ DECLARE r record; BEGIN
              FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> '{database.Role}'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
              LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I',
                  CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                  r.name, '{database.Role}');
              END LOOP;
            END $$;
            """, ct);
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>
    /// The services' users and permissions, imported in one rabbitmqctl call (<see cref="RabbitMqDefinitions"/>, a file in the
    /// node's own folder). The import is asynchronous: the users run once the node lists them with their permissions.
    /// </summary>
    public static async Task CreateBrokerUsersAsync(LocalRabbitMQServerResource broker, ResourceReadyEvent ready, CancellationToken ct)
    {
        var users = new List<(string, string, BrokerPermissions)>();
        foreach (var user in broker.Users) users.Add((user.UserName, await user.Password.GetValueAsync(ct) ?? "", user.Permissions));
        var file = Path.Combine(broker.NodeEnvironment["RABBIT_STATE"], "service-users.json");
        await File.WriteAllTextAsync(file, RabbitMqDefinitions.Json("/", users), ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await RabbitMqCtlAsync(broker, ct, "import_definitions", file);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!RabbitMqDefinitions.AllGranted(await RabbitMqCtlAsync(broker, ct, "-q", "list_permissions", "-p", "/"),
            broker.Users.Select(u => (u.UserName, u.Permissions))))
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"{broker.Name}: the services' users were not imported within 30 s");
            await Task.Delay(200, ct);
        }
        ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(broker)
            .LogInformation("Users of {Services} created with their permissions", string.Join(", ", broker.Users.Select(u => u.UserName)));
        var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var user in broker.Users)
            await notifications.PublishUpdateAsync(user, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
    }

    static async Task<string> RabbitMqCtlAsync(LocalRabbitMQServerResource broker, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(broker.WorkingDirectory, "rabbitmqctl.sh"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in broker.NodeEnvironment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {arguments[0]} failed ({process.ExitCode}): {await error}");
        return await output;
    }
}
