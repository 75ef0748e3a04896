namespace MorfX.AppHost.LocalServers;

/// <summary>
/// One service's database on the local PostgreSQL server, owned by the service's own role, which logs in with its password
/// and may reach this database alone (MorfX.ServiceDefaults.PostgresAccess); created by the AppHost when the server is ready.
/// </summary>
public sealed class LocalPostgresDatabaseResource(
    string name, string databaseName, string role, ParameterResource password, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public string Role { get; } = role;

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Parent.PrimaryEndpoint.Property(EndpointProperty.Port)};Username={Role};Password={Password};Database={DatabaseName}");
}
