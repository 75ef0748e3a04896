using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MorfX.ServiceDefaults;

/// <summary>
/// How bearer tokens are checked (section <c>Auth</c>): either the shared SigningKey (HS256: local runs and tests) or an
/// OIDC Authority (the CRM's identity provider: its discovery document and JWKS give the keys, RS256 by default).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string? Authority { get; set; }

    /// <summary>Comma-separated algorithms accepted; HS256 with a SigningKey, RS256 with an Authority when empty.</summary>
    public string? Algorithms { get; set; }

    /// <summary>No token may live longer than this, counted from its nbf or iat (24 h).</summary>
    public double MaxTokenLifetimeMinutes { get; set; } = 24 * 60;

    public bool RequireHttpsMetadata { get; set; } = true;
    public string Audience { get; set; } = JwtParameters.DefaultAudience;

    /// <summary>The issuer; with an Authority and no Issuer it comes from the discovery document.</summary>
    public string? Issuer { get; set; }

    public string? SigningKey { get; set; }

    public bool UsesAuthority => !string.IsNullOrWhiteSpace(Authority);

    public string[] AlgorithmList => string.IsNullOrWhiteSpace(Algorithms)
        ? [UsesAuthority ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.HmacSha256]
        : Algorithms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public TimeSpan MaxTokenLifetime => TimeSpan.FromMinutes(MaxTokenLifetimeMinutes);

    /// <summary>What is wrong with these settings, each naming its key; empty when they can check tokens.</summary>
    public IEnumerable<string> Problems()
    {
        if (UsesAuthority)
        {
            if (!HttpUrls.IsAbsoluteHttp(Authority!)) yield return "Auth:Authority must be an absolute http(s) URL (the OIDC issuer).";
        }
        else if (string.IsNullOrEmpty(SigningKey))
            yield return "Auth:SigningKey (environment variable Auth__SigningKey) or Auth:Authority is required.";
        else if (Encoding.UTF8.GetByteCount(SigningKey) < 32)
            yield return "Auth:SigningKey must be at least 32 bytes long (HS256).";
        if (MaxTokenLifetimeMinutes <= 0) yield return "Auth:MaxTokenLifetimeMinutes must be greater than 0.";
    }

    /// <summary>Fails the start with every problem of <see cref="Problems"/>.</summary>
    internal sealed class Validator : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
