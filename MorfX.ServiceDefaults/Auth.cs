using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace MorfX.ServiceDefaults;

public static class Roles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Agent = "agent";
}

public static class Policies
{
    /// <summary>Owner and Admin may change integrations.</summary>
    public const string IntegrationsWrite = "integrations:write";

    /// <summary>Any member of the workspace may read.</summary>
    public const string WorkspaceRead = "workspace:read";
}

public static class MorfXClaims
{
    public const string Subject = "sub";
    public const string WorkspaceId = "workspace_id";
    public const string Role = "role";

    /// <summary>The caller's workspace; the policies guarantee the claim is a GUID before a handler runs.</summary>
    public static Guid WorkspaceIdOf(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(WorkspaceId)!);
}

/// <summary>JWT bearer validation settings, shared by the services and by whatever mints tokens (tests, local runner).</summary>
public sealed record JwtSettings(string Issuer, string Audience, string SigningKey)
{
    public const string DefaultIssuer = "morfx";
    public const string DefaultAudience = "morfx-api";

    public SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(SigningKey));
}

public static class AuthExtensions
{
    internal static WebApplicationBuilder AddJwtAuth(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var signingKey = config.Require("Auth:SigningKey");
        if (Encoding.UTF8.GetByteCount(signingKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes long (HS256).");
        var settings = new JwtSettings(config["Auth:Issuer"] ?? JwtSettings.DefaultIssuer, config["Auth:Audience"] ?? JwtSettings.DefaultAudience, signingKey);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            // Without these the `role` claim is renamed and the role policies refuse everyone (still so with JwtBearer 10).
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                IssuerSigningKey = settings.Key,
                RoleClaimType = MorfXClaims.Role,
                NameClaimType = MorfXClaims.Subject,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.WorkspaceRead, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => Guid.TryParse(c.User.FindFirst(MorfXClaims.WorkspaceId)?.Value, out _))
                .RequireRole(Roles.Owner, Roles.Admin, Roles.Agent))
            .AddPolicy(Policies.IntegrationsWrite, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => Guid.TryParse(c.User.FindFirst(MorfXClaims.WorkspaceId)?.Value, out _))
                .RequireRole(Roles.Owner, Roles.Admin));
        return builder;
    }
}
