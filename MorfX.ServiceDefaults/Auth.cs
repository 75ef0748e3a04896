using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
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

/// <summary>
/// Bearer-token validation. Either the shared signing key (Auth:SigningKey, HS256: local runs and tests) or an OIDC
/// authority (Auth:Authority: the CRM's identity provider, whose discovery document and JWKS give the keys, RS256 by
/// default), so production services hold no key that can mint tokens. Both pin the algorithms (Auth:Algorithms), require an
/// expiry and refuse tokens that live longer than Auth:MaxTokenLifetimeMinutes (default 24 h). Every endpoint is closed
/// unless it names a policy or says AllowAnonymous: the fallback policy asks for a workspace member.
/// </summary>
public static class AuthExtensions
{
    public const string AuthorityKey = "Auth:Authority";
    public const string AlgorithmsKey = "Auth:Algorithms";
    public const string MaxTokenLifetimeKey = "Auth:MaxTokenLifetimeMinutes";
    public const string RequireHttpsMetadataKey = "Auth:RequireHttpsMetadata";
    public static readonly TimeSpan DefaultMaxTokenLifetime = TimeSpan.FromHours(24);
    static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    internal static WebApplicationBuilder AddJwtAuth(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var authority = config[AuthorityKey] is { Length: > 0 } a ? a : null;
        var algorithms = config[AlgorithmsKey] is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [authority is null ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256];
        var maxLifetime = config.GetValue<double?>(MaxTokenLifetimeKey) is { } minutes ? TimeSpan.FromMinutes(minutes) : DefaultMaxTokenLifetime;

        var parameters = new TokenValidationParameters
        {
            ValidAudience = config["Auth:Audience"] ?? JwtSettings.DefaultAudience,
            ValidAlgorithms = algorithms,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            LifetimeValidator = (notBefore, expires, token, _) => WithinLifetime(notBefore, expires, token, maxLifetime),
            RoleClaimType = MorfXClaims.Role,
            NameClaimType = MorfXClaims.Subject,
            ClockSkew = ClockSkew,
        };
        if (authority is null)
        {
            var signingKey = config.Require("Auth:SigningKey");
            if (Encoding.UTF8.GetByteCount(signingKey) < 32)
                throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes long (HS256).");
            parameters.ValidIssuer = config["Auth:Issuer"] ?? JwtSettings.DefaultIssuer;
            parameters.IssuerSigningKey = new JwtSettings(parameters.ValidIssuer, parameters.ValidAudience, signingKey).Key;
        }
        else if (config["Auth:Issuer"] is { Length: > 0 } issuer) parameters.ValidIssuer = issuer;
        // With an authority and no Auth:Issuer, the issuer comes from its discovery document.

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            // Without this the `role` claim is renamed and the role policies refuse everyone (still so with JwtBearer 10).
            o.MapInboundClaims = false;
            o.TokenValidationParameters = parameters;
            if (authority is null) return;
            o.Authority = authority;
            o.RequireHttpsMetadata = config.GetValue(RequireHttpsMetadataKey, true);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.WorkspaceRead, p => WorkspaceMember(p).RequireRole(Roles.Owner, Roles.Admin, Roles.Agent))
            .AddPolicy(Policies.IntegrationsWrite, p => WorkspaceMember(p).RequireRole(Roles.Owner, Roles.Admin))
            // Deny by default: an endpoint that names no policy and is not AllowAnonymous still needs a workspace member.
            .SetFallbackPolicy(WorkspaceMember(new AuthorizationPolicyBuilder()).RequireRole(Roles.Owner, Roles.Admin, Roles.Agent).Build());
        return builder;
    }

    static AuthorizationPolicyBuilder WorkspaceMember(AuthorizationPolicyBuilder policy) => policy.RequireAuthenticatedUser()
        .RequireAssertion(c => Guid.TryParse(c.User.FindFirst(MorfXClaims.WorkspaceId)?.Value, out _));

    /// <summary>
    /// The usual not-before/expiry check (Validators.ValidateLifetime would call this delegate back), and no token whose
    /// validity spans more than the cap, counted from its nbf or iat, or from now when it has neither.
    /// </summary>
    static bool WithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TimeSpan max)
    {
        var now = DateTime.UtcNow;
        if (expires is not { } exp || exp < now - ClockSkew || notBefore > now + ClockSkew) return false;
        var issuedAt = token is JsonWebToken { IssuedAt: var iat } && iat != DateTime.MinValue ? iat : (DateTime?)null;
        var from = new[] { notBefore, issuedAt, now }.Where(d => d is not null).Min()!.Value;
        return exp - from <= max + ClockSkew;
    }
}
