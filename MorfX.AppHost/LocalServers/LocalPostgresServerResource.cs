namespace MorfX.AppHost.LocalServers;

/// <summary>PostgreSQL from the operating system's packages, run by scripts/postgres.sh on its own port and data folder.</summary>
public sealed class LocalPostgresServerResource(string name, string scriptsDirectory)
    : ExecutableResource(name, "bash", scriptsDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    // The superuser, trusted on 127.0.0.1 only: the administrator's, for tools; each service logs in as its own role.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password=postgres");

    public List<LocalPostgresDatabaseResource> Databases { get; } = [];
}
