namespace MorfX.ServiceDefaults;

/// <summary>The authorization policies endpoints name.</summary>
public static class Policies
{
    /// <summary>Owner and Admin may change integrations.</summary>
    public const string IntegrationsWrite = "integrations:write";

    /// <summary>Any member of the workspace may read.</summary>
    public const string WorkspaceRead = "workspace:read";
}
