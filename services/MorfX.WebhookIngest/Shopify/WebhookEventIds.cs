using System.Security.Cryptography;
using System.Text;

namespace MorfX.WebhookIngest.Shopify;

/// <summary>
/// Trigger EventIds, name-based UUID v5 (RFC 9562) over what identifies the merchant's action, so every delivery of
/// that action carries the same EventId and the engine runs its automations once.
/// </summary>
public static class WebhookEventIds
{
    // The RFC 9562 URL namespace.
    static readonly Guid Namespace = Guid.Parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>
    /// A creation is one event per created resource, whatever delivered it (a replay, a second subscription during a
    /// secret rotation, a new webhook id). Other topics are one event per <c>X-Shopify-Event-Id</c> and topic (one
    /// merchant action fires several topics under one event id). Without either, the delivery id is all there is.
    /// </summary>
    public static Guid ForShopify(string shopDomain, string topic, long? resourceId, string? shopifyEventId, string webhookId) =>
        topic.EndsWith("/create", StringComparison.Ordinal) && resourceId is { } id ? NameBased($"shopify:{shopDomain}:{topic}:{id}")
        : !string.IsNullOrEmpty(shopifyEventId) ? NameBased($"shopify:{shopDomain}:{topic}:event:{shopifyEventId}")
        : ForShopify(webhookId);

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
