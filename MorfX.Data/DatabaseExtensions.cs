using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;

namespace MorfX.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// The service's own PostgreSQL database (ConnectionStrings:connectionName): a pooled DbContext, a health
    /// check, and the schema migrations embedded in the service, applied at start-up under an advisory lock.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TContext>(this WebApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        var connectionString = Tuned(builder.Configuration.RequireConnectionString(connectionName));
        // The first hosted service (they start in order), so the schema exists before anything reads it: the bus's consumers, and
        // Data Protection's, registered earlier with authentication, which loads config-api's key ring from its table.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new SchemaMigrator(
            connectionString, typeof(TContext).Assembly, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SchemaMigrator>>())));
        // Transient faults (a pooled connection broken by a database restart, a failover) are retried, not answered 500.
        // Explicit transactions must then run inside db.Database.CreateExecutionStrategy().
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddDbContextPool<TContext>((sp, o) => o.UseServiceDatabase(connectionString, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        // The DbContext's model and a pooled connection, built once the service has started, not by the first event after it.
        builder.Services.AddStartupWarmup("database", async (sp, ct) =>
        {
            var db = sp.GetRequiredService<TContext>();
            _ = db.Model;
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// A service's PostgreSQL options: transient faults retried, and a connection kept usable after a value the database
    /// refused (<see cref="PreparedStatementRepair"/>).
    /// </summary>
    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder options, string connectionString, DatabaseOptions database) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(database.TransientRetries, TimeSpan.FromSeconds(2), null))
            .AddInterceptors(PreparedStatementRepair.Instance);

    /// <summary>
    /// The hot path's connection settings, unless the connection string says otherwise: no DISCARD ALL when a connection goes
    /// back to the pool (nothing here leaves session state behind: no SET, temporary tables or session locks on pooled
    /// connections), statements used twice are prepared, and a pool sized for 2 cores shared by several services.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        // The keys as written (any case, with or without spaces), to leave alone what the connection string chose.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("noresetonclose")) tuned.NoResetOnClose = true;
        if (!given.Contains("maxautoprepare")) tuned.MaxAutoPrepare = 100;
        if (!given.Contains("autoprepareminusages")) tuned.AutoPrepareMinUsages = 2;
        if (!given.Contains("maximumpoolsize") && !given.Contains("maxpoolsize")) tuned.MaxPoolSize = 40;
        return tuned.ConnectionString;
    }

    /// <summary>Maps every table, column, key and index to snake_case, the schema's convention. Call last in OnModelCreating.</summary>
    public static ModelBuilder UseSnakeCaseNames(this ModelBuilder model)
    {
        foreach (var entity in model.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table) entity.SetTableName(Snake(table));
            foreach (var property in entity.GetProperties())
                property.SetColumnName(Snake(property.GetColumnName()));
            foreach (var key in entity.GetKeys())
                key.SetName(Snake(key.GetName()!));
            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName(Snake(index.GetDatabaseName()!));
            foreach (var fk in entity.GetForeignKeys())
                fk.SetConstraintName(Snake(fk.GetConstraintName()!));
        }
        return model;
    }

    public static string Snake(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
