namespace MorfX.Rules;

/// <summary>The one masking function: a secret is shown as `****` plus its last 4 characters, never whole.</summary>
public static class Secrets
{
    public const string MaskPrefix = "****";

    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : MaskPrefix + (secret.Length > 8 ? secret[^4..] : "");

    /// <summary>True for a value the frontend sent back as it was shown (masked): keep the stored secret.</summary>
    public static bool IsMasked(string? value) => value is not null && value.StartsWith(MaskPrefix, StringComparison.Ordinal);
}
