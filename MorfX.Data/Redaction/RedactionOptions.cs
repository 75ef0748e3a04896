using System.ComponentModel.DataAnnotations;

namespace MorfX.Data.Redaction;

/// <summary>
/// The key of the redaction tombstones (section <c>Redaction</c>): what a redacted customer is remembered by (a phone, a
/// Shopify id) is kept only as an HMAC under it, so a copy of the database cannot be reversed by hashing every phone number.
/// </summary>
public sealed class RedactionOptions : IValidatableObject
{
    public const string Section = "Redaction";

    /// <summary>Read by automation-engine and sms-sender: base64 of at least 32 random bytes (e.g. <c>openssl rand -base64 32</c>), kept outside the database; changing it forgets the tombstones.</summary>
    [Required]
    public string HashKey { get; set; } = "";

    public byte[] Key => Convert.FromBase64String(HashKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var key = new byte[HashKey.Length];
        if (!Convert.TryFromBase64String(HashKey, key, out var length) || length < 32)
            yield return new ValidationResult("Redaction:HashKey must be the base64 encoding of at least 32 random bytes (e.g. `openssl rand -base64 32`).", [nameof(HashKey)]);
    }
}
