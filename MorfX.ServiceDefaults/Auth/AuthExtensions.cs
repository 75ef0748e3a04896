using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Bearer-token validation from <see cref="AuthOptions"/>, checked when the service starts, so production services can hold
/// no key that mints tokens (an Authority instead). Both ways pin the algorithms, require an expiry and refuse tokens that
/// live longer than Auth:MaxTokenLifetimeMinutes. Every endpoint is closed unless it names a policy or says
/// AllowAnonymous: the fallback policy asks for a workspace member.
/// </summary>
public static class AuthExtensions
{
    public const string AuthorityKey = AuthOptions.Section + ":" + nameof(AuthOptions.Authority);
    public const string MaxTokenLifetimeKey = AuthOptions.Section + ":" + nameof(AuthOptions.MaxTokenLifetimeMinutes);
    public const string RequireHttpsMetadataKey = AuthOptions.Section + ":" + nameof(AuthOptions.RequireHttpsMetadata);
    static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    internal static WebApplicationBuilder AddJwtAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptions.Validator>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((o, auth) => Configure(o, auth.Value));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.WorkspaceRead, p => WorkspaceMember(p).RequireRole(Roles.Owner, Roles.Admin, Roles.Agent))
            .AddPolicy(Policies.IntegrationsWrite, p => WorkspaceMember(p).RequireRole(Roles.Owner, Roles.Admin))
            // Deny by default: an endpoint that names no policy and is not AllowAnonymous still needs a workspace member.
            .SetFallbackPolicy(WorkspaceMember(new AuthorizationPolicyBuilder()).RequireRole(Roles.Owner, Roles.Admin, Roles.Agent).Build());
        return builder;
    }

    static void Configure(JwtBearerOptions o, AuthOptions auth)
    {
        // Without this the `role` claim is renamed and the role policies refuse everyone (still so with JwtBearer 10).
        o.MapInboundClaims = false;
        var maxLifetime = auth.MaxTokenLifetime;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = auth.Audience,
            ValidAlgorithms = auth.AlgorithmList,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            LifetimeValidator = (notBefore, expires, token, _) => WithinLifetime(notBefore, expires, token, maxLifetime),
            RoleClaimType = MorfXClaims.Role,
            NameClaimType = MorfXClaims.Subject,
            ClockSkew = ClockSkew,
        };
        if (!auth.UsesAuthority)
        {
            var issuer = auth.Issuer ?? JwtParameters.DefaultIssuer;
            o.TokenValidationParameters.ValidIssuer = issuer;
            o.TokenValidationParameters.IssuerSigningKey = new JwtParameters(issuer, auth.Audience, auth.SigningKey ?? "").Key;
            return;
        }
        // With an authority and no Auth:Issuer, the issuer comes from its discovery document.
        if (auth.Issuer is { Length: > 0 } configured) o.TokenValidationParameters.ValidIssuer = configured;
        o.Authority = auth.Authority;
        o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
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
