using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace MorfX.ConfigApi.Data;

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
