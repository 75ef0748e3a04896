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

public sealed class KeyRingEncryptor(byte[] key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key, tag.Length)) aes.Encrypt(nonce, plaintext, ciphertext, tag);
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under DataProtection:KeyEncryptionKey: nonce, tag, ciphertext "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. ciphertext])));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Created by Data Protection itself (hence the IServiceProvider constructor) when it reads an encrypted key.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = KeyRingEncryption.KeyFrom(services.GetRequiredService<IConfiguration>())
            ?? throw new InvalidOperationException($"The key ring is encrypted but {KeyRingEncryption.ConfigKey} is not configured.");
        var data = Convert.FromBase64String(encryptedElement.Element("value")!.Value);
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plaintext = new byte[data.Length - nonceSize - tagSize];
        using (var aes = new AesGcm(key, tagSize))
            aes.Decrypt(data.AsSpan(0, nonceSize), data.AsSpan(nonceSize + tagSize), data.AsSpan(nonceSize, tagSize), plaintext);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
