namespace MorfX.ServiceDefaults;

/// <summary>The roles a workspace member's token carries (claim <c>role</c>).</summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Agent = "agent";
}
