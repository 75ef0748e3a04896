namespace MorfX.ServiceDefaults;

/// <summary>
/// Who may reach which database: each service logs in as its own role, named after its database (deploy/resources.json),
/// with a password, and only to that database. These pg_hba.conf rules come before the server's own; the local AppHost's
/// PostgreSQL and the CloudNativePG cluster (deploy/k8s/base/postgres-access.yaml, generated) both get them.
/// </summary>
public static class PostgresAccess
{
    /// <summary>The rules, with each service database's name on that server (locally morfx_&lt;database&gt;).</summary>
    public static IEnumerable<string> HbaRules(ResourceMap map, Func<string, string> databaseName) =>
        map.Services.Where(s => s.Database is not null).SelectMany(s => new[]
        {
            $"host {databaseName(s.Database!)} {s.Database} all scram-sha-256",
            $"host all {s.Database} all reject",
        });
}
