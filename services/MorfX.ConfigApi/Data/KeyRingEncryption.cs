using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace MorfX.ConfigApi.Data;

/// <summary>
/// Optional protection of the key ring itself: with DataProtection:KeyEncryptionKey (base64 of 32 random bytes, kept
/// outside the database, e.g. an AppHost secret parameter) each key is stored AES-256-GCM encrypted, so a copy of the
/// database alone does not reveal the integration secrets. Without it keys are stored as plain XML (Data Protection
/// logs a warning at key creation). Changing or losing the value makes the stored secrets unreadable.
/// </summary>
public static class KeyRingEncryption
{
    public const string ConfigKey = "DataProtection:KeyEncryptionKey";

    /// <summary>The configured key, or null; a value that is not 32 bytes of base64 stops start-up.</summary>
    public static byte[]? KeyFrom(IConfiguration config)
    {
        if (config[ConfigKey] is not { Length: > 0 } value) return null;
        var key = new byte[32];
        return Convert.TryFromBase64String(value, key, out var length) && length == 32
            ? key
            : throw new InvalidOperationException($"{ConfigKey} must be the base64 encoding of exactly 32 random bytes (e.g. `openssl rand -base64 32`).");
    }
}
