using System.Security.Cryptography;
using System.Text;

namespace MorfX.WebhookIngest.Shopify;

/// <summary>
/// Trigger EventIds derived from the source's delivery id (a name-based UUID v5, RFC 9562), so a redelivery of
/// the same webhook carries the same EventId and every consumer recognises it.
/// </summary>
public static class WebhookEventIds
{
    // The RFC 9562 URL namespace; the names are "shopify:{X-Shopify-Webhook-Id}".
    static readonly Guid Namespace = Guid.Parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    public static Guid ForShopify(string webhookId) => NameBased("shopify:" + webhookId);

    public static Guid NameBased(string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
