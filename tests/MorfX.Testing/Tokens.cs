using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MorfX.ServiceDefaults;

namespace MorfX.Testing;

/// <summary>Real signed JWTs, as the MorfX CRM issues them: user, workspace and role claims.</summary>
public static class Tokens
{
    public static string For(Guid workspaceId, string role = Roles.Owner, string? userId = null, string signingKey = TestInfrastructure.SigningKey)
    {
        var settings = new JwtSettings(JwtSettings.DefaultIssuer, JwtSettings.DefaultAudience, signingKey);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(settings.Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(MorfXClaims.Subject, userId ?? $"user-{Guid.NewGuid():N}"),
                new Claim(MorfXClaims.WorkspaceId, workspaceId.ToString()),
                new Claim(MorfXClaims.Role, role),
            ]),
        });
    }
}
