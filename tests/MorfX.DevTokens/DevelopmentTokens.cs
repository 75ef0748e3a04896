using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MorfX.ServiceDefaults;

namespace MorfX.DevTokens;

/// <summary>
/// Development JWTs as the MorfX CRM issues them: HS256 with the shared signing key, issuer and audience as the services
/// expect (<see cref="JwtParameters"/>), and the user, workspace and role claims. The only place that mints one.
/// </summary>
public static class DevelopmentTokens
{
    /// <summary>Well under the services' 24 h cap (Auth:MaxTokenLifetimeMinutes).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);

    public static string Create(string signingKey, Guid workspaceId, string role = Roles.Owner, string? userId = null,
        TimeSpan? lifetime = null, IEnumerable<Claim>? extraClaims = null)
    {
        var settings = new JwtParameters(JwtParameters.DefaultIssuer, JwtParameters.DefaultAudience, signingKey);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Expires = DateTime.UtcNow + (lifetime ?? DefaultLifetime),
            SigningCredentials = new SigningCredentials(settings.Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(MorfXClaims.Subject, userId ?? $"dev-{role}"),
                new Claim(MorfXClaims.WorkspaceId, workspaceId.ToString()),
                new Claim(MorfXClaims.Role, role),
                .. extraClaims ?? [],
            ]),
        });
    }
}
