namespace MorfX.Rules;

/// <summary>The one masking function: a secret is shown as `****` plus its last 4 characters, never whole.</summary>
public static class Secrets
{
    public const string MaskPrefix = "****";

    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : MaskPrefix + (secret.Length > 8 ? secret[^4..] : "");

    /// <summary>
    /// Which secret was used, without the secret: the first 16 hex digits of its SHA-256 (a random token's hash tells nothing
    /// of it). A refusal carries it, so it is held against the credential that caused it, not one saved since.
    /// </summary>
    public static string Fingerprint(string secret) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)))[..16];

    /// <summary>True for a value the frontend sent back as it was shown (masked): keep the stored secret.</summary>
    public static bool IsMasked(string? value) => value is not null && value.StartsWith(MaskPrefix, StringComparison.Ordinal);
}
