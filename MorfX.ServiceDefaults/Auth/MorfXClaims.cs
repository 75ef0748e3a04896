using System.Security.Claims;

namespace MorfX.ServiceDefaults;

/// <summary>The claims MorfX reads from a token.</summary>
public static class MorfXClaims
{
    public const string Subject = "sub";
    public const string WorkspaceId = "workspace_id";
    public const string Role = "role";

    /// <summary>The caller's workspace; the policies guarantee the claim is a GUID before a handler runs.</summary>
    public static Guid WorkspaceIdOf(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(WorkspaceId)!);
}
