using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MorfX.ServiceDefaults;
using Npgsql;

namespace MorfX.Data;

/// <summary>
/// Applies a service's SQL migrations (embedded as migrations/NNNN_name.sql, in name order) at start-up.
/// `dotnet ef migrations add` cannot run here (docs/decisions/0003), so migrations are hand-written SQL kept in the
/// repo; a test compares the EF model with the migrated schema. Several instances starting at once take a
/// PostgreSQL advisory lock, so each migration runs exactly once. A missing database is created first.
/// </summary>
public sealed partial class SchemaMigrator(string connectionString, Assembly migrationsAssembly, ILogger<SchemaMigrator> logger) : IHostedService
{
    const long LockKey = 0x4D6F7266_58_4D4947; // "MorfXMIG"

    /// <summary>The argument of the cluster's migration Job: apply the schema and exit.</summary>
    public const string MigrateOnly = "--migrate-only";

    /// <summary>
    /// A service started with --migrate-only applies its migrations and exits, needing nothing but the database's connection
    /// string (ConnectionStrings:databaseName, from the environment or the command line).
    /// </summary>
    public static async Task<int> MigrateOnlyAsync(string[] args, string databaseName, Assembly service)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a != MigrateOnly).ToArray())
            .Build();
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole());
        await new SchemaMigrator(configuration.RequireConnectionString(databaseName), service, logging.CreateLogger<SchemaMigrator>())
            .StartAsync(CancellationToken.None);
        return 0;
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await EnsureDatabaseAsync(ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;
                """, ct);
            var applied = new Dictionary<string, string?>();
            await using (var cmd = new NpgsqlCommand("SELECT id, checksum FROM schema_migrations", connection))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);

            var migrations = Migrations(migrationsAssembly).ToList();
            // An applied migration never runs again, so editing it would leave older databases silently behind.
            var edited = migrations.Where(m => applied.GetValueOrDefault(m.Id) is { } sum && sum != Checksum(m.Sql)).Select(m => m.Id).ToList();
            if (edited.Count > 0)
                throw new InvalidOperationException(
                    $"Migration(s) {string.Join(", ", edited)} changed after they were applied to database '{connection.Database}'. " +
                    "Add a new migration instead of editing an applied one (or recreate this development database).");

            foreach (var (id, sql) in migrations.Where(m => !applied.ContainsKey(m.Id)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, tx, sql, ct);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (id, checksum) VALUES (@id, @checksum)", connection, tx))
                {
                    record.Parameters.AddWithValue("id", id);
                    record.Parameters.AddWithValue("checksum", Checksum(sql));
                    await record.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                LogApplied(id, connection.Database);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    static string Checksum(string sql) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    public static IEnumerable<(string Id, string Sql)> Migrations(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (Path.GetFileNameWithoutExtension(n), reader.ReadToEnd());
            });

    /// <summary>
    /// A service's role reaches its own database only (PostgresAccess), which exists where it is deployed; the maintenance
    /// database is asked to create it only where it does not (the tests' servers, as the superuser).
    /// </summary>
    async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        try
        {
            await using var own = new NpgsqlConnection(target.ConnectionString);
            await own.OpenAsync(ct);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName) { }
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", target.Database!);
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        try
        {
            await ExecuteAsync(connection, null, $"CREATE DATABASE \"{target.Database!.Replace("\"", "\"\"")}\"", ct);
            LogCreated(target.Database);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it first.
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(9001, LogLevel.Information, "Applied migration {MigrationId} to database {Database}")]
    partial void LogApplied(string migrationId, string database);

    [LoggerMessage(9002, LogLevel.Information, "Created database {Database}")]
    partial void LogCreated(string database);
}
