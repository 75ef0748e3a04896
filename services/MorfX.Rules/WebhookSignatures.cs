using System.Security.Cryptography;
using System.Text;

namespace MorfX.Rules;

/// <summary>The one place webhook signatures are computed (docs/protocols.md); Shopify's is also checked here, in constant time.</summary>
public static class WebhookSignatures
{
    /// <summary>Shopify: base64 HMAC-SHA256 of the raw body bytes, keyed with the app's client secret.</summary>
    public static string ShopifyHmac(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when the header matches the HMAC under any of the secrets (current, or previous during a rotation).</summary>
    public static bool VerifyShopify(ReadOnlySpan<byte> body, string? header, params string?[] secrets)
    {
        if (string.IsNullOrEmpty(header)) return false;
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(header, given, out var length) || length != 32) return false;
        var match = false;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret)) continue;
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
            match |= CryptographicOperations.FixedTimeEquals(expected, given[..length]);
        }
        return match;
    }

    /// <summary>
    /// Twilio: base64 HMAC-SHA1 of the full URL followed by every POST parameter's name and value, sorted by name. Used to
    /// sign (the emulator, tests); checking is Twilio's own RequestValidator's job (webhook-ingest).
    /// </summary>
    public static string TwilioSignature(string url, IEnumerable<KeyValuePair<string, string>> parameters, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            data.Append(key).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
