using System.ComponentModel.DataAnnotations;

namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// Where <see cref="ShopifyAdminClient"/> calls and where it asks Shopify to deliver: Shopify:AdminBaseUrl (empty: each
/// shop's own https://{shop}; the local emulator's address in tests and demo mode) and PublicUrls:WebhookIngest
/// (http://127.0.0.1:5101; webhook-ingest's public address); the Admin API version; and how reconciliation runs.
/// </summary>
public sealed class ShopifyAdminOptions
{
    public const string Section = "Shopify";
    public const string WebhookIngestBaseUrlKey = "PublicUrls:WebhookIngest";

    public Uri? AdminBaseUrl { get; set; }

    /// <summary>Webhook-ingest's public address, without a trailing slash.</summary>
    public string WebhookIngestBaseUrl { get; set; } = "http://127.0.0.1:5101";

    /// <summary>
    /// The one Admin API version MorfX calls and subscribes with. Shopify supports each for 12 months: move it at least
    /// once a year (docs/decisions/0027).
    /// </summary>
    [RegularExpression(@"^\d{4}-(01|04|07|10)$")]
    public string ApiVersion { get; set; } = "2026-10";

    /// <summary>How often each shop is reconciled with the Admin API and its subscriptions checked (at most 5 minutes apart).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Shops reconciled at once by one replica: the bound on concurrent Admin API calls across shops. Each pass is about
    /// three calls Shopify answers in 100–300 ms, so one replica covers about 16 × 300 s / 0.6 s ≈ 8,000 shops an interval;
    /// more replicas share the shops (docs/benchmarks.md).
    /// </summary>
    [Range(1, 64)]
    public int ReconcileConcurrency { get; set; } = 16;

    /// <summary>
    /// Orders per Admin API page, and pages per shop and pass (the rest waits for the next pass, due at once). Shopify prices
    /// a query by what it may return: 10 orders of up to 50 line items each stay well under its 1,000-point limit per query.
    /// </summary>
    [Range(1, 15)]
    public int ReconcilePageSize { get; set; } = 10;

    [Range(1, 1000)]
    public int ReconcileMaxPages { get; set; } = 50;

    /// <summary>
    /// How far before the watermark each pass reads again: Shopify's search index may list an order a little after its
    /// updatedAt, so an order saved just before the last pass read is not missed. Repeats are no-ops.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReconcileOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How old a missed creation may be and still be recovered: less than the engine keeps its processed events (7 days),
    /// so a recovered order can never run twice.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "6.00:00:00")]
    public TimeSpan ReconcileRecoverWithin { get; set; } = TimeSpan.FromDays(3);
}
