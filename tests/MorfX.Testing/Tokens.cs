using System.Security.Claims;
using MorfX.DevTokens;
using MorfX.ServiceDefaults;

namespace MorfX.Testing;

/// <summary>The tests' tokens: <see cref="DevelopmentTokens"/> signed with the tests' key, valid one hour.</summary>
public static class Tokens
{
    public static string For(Guid workspaceId, string role = Roles.Owner, string? userId = null,
        string signingKey = TestInfrastructure.SigningKey, params Claim[] extraClaims) =>
        DevelopmentTokens.Create(signingKey, workspaceId, role, userId ?? $"user-{Guid.NewGuid():N}", TimeSpan.FromHours(1), extraClaims);
}
