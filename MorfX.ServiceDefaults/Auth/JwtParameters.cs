using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace MorfX.ServiceDefaults;

/// <summary>JWT bearer validation settings, shared by the services and by whatever mints tokens (tests, local runner).</summary>
public sealed record JwtParameters(string Issuer, string Audience, string SigningKey)
{
    public const string DefaultIssuer = "morfx";
    public const string DefaultAudience = "morfx-api";

    public SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(SigningKey));
}
