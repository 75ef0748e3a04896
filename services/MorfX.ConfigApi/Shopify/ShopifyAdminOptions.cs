namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// Where <see cref="ShopifyAdminClient"/> calls and where it asks Shopify to deliver: Shopify:AdminBaseUrl (empty: each
/// shop's own https://{shop}; the local emulator's address in tests and demo mode) and PublicUrls:WebhookIngest
/// (http://127.0.0.1:5101; webhook-ingest's public address).
/// </summary>
public sealed class ShopifyAdminOptions
{
    public const string Section = "Shopify";
    public const string WebhookIngestUrlKey = "PublicUrls:WebhookIngest";

    public Uri? AdminBaseUrl { get; set; }

    /// <summary>Webhook-ingest's public address, without a trailing slash.</summary>
    public string WebhookIngestBaseUrl { get; set; } = "http://127.0.0.1:5101";
}
