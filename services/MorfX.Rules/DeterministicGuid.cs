using System.Security.Cryptography;
using System.Text;

namespace MorfX.Rules;

/// <summary>
/// Name-based (RFC 9562 version 5, SHA-1) ids: the same inputs always give the same id (a webhook's EventId, an
/// automation step's SmsRequested.RequestId, a redelivery's request), so downstream idempotency holds across redeliveries.
/// </summary>
public static class DeterministicGuid
{
    public static Guid Create(Guid ns, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
