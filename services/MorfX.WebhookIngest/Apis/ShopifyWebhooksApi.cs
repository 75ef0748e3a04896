using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.ShopifyOrders;
using MorfX.WebhookIngest.Shopify;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// POST /webhooks/shopify: Shopify's order webhooks, checked (signature and shop headers, size, shop, HMAC over the raw
/// body, topic, JSON object) before anything is parsed or stored. Accepted means its id and its event are committed to the outbox
/// together; the event is then published right away (or by the outbox dispatcher once the broker is back), and the answer is 200.
/// A webhook id already accepted is answered 200 without publishing again; a database that cannot record it gets 503 so Shopify retries.
/// </summary>
public static partial class ShopifyWebhooksApi
{
    public const string Source = "shopify";

    /// <summary>The webhook topics MorfX subscribes to, and the trigger each becomes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Topics = new Dictionary<string, string>
    {
        ["orders/create"] = TriggerNames.ShopifyOrderCreated,
        ["orders/updated"] = TriggerNames.ShopifyOrderUpdated,
        ["draft_orders/create"] = TriggerNames.ShopifyDraftOrderCreated,
    };

    public static IEndpointRouteBuilder MapShopifyWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/shopify", ReceiveAsync)
            .WithName("ReceiveShopifyWebhook")
            .WithSummary("Receives a Shopify webhook (orders/create, orders/updated, draft_orders/create and the compliance topics)")
            .WithTags("Webhooks")
            .AllowAnonymous()
            .LimitRefusals()
            .ProducesProblems(IngestProblems.ShopifySignatureInvalid, IngestProblems.TooManyRefusals, ProblemCode.PayloadTooLarge, IngestProblems.UnsupportedTopic,
                IngestProblems.InvalidEncoding, IngestProblems.InvalidPayload, IngestProblems.LookupUnavailable, IngestProblems.DatabaseUnavailable);
        return app;
    }

    static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(HttpRequest request, [AsParameters] WebhookServices services)
    {
        var (metrics, logger, options) = (services.Metrics, services.Logger, services.Options);
        metrics.Received(Source);

        ProblemHttpResult Reject(ProblemCode problem, string detail)
        {
            metrics.Rejected(Source, problem.Code);
            return problem.With(detail);
        }

        // An unknown shop, a domain that cannot be one and a bad signature get the same answer: outsiders cannot tell
        // which shops are customers. The domain is checked before config-api is asked about it.
        ProblemHttpResult Unauthenticated(string reason)
        {
            metrics.Rejected(Source, reason);
            return IngestProblems.ShopifySignatureInvalid.With(Texts.ShopifySignatureInvalid);
        }

        var hmac = ShopifyHeader(request, "Hmac-Sha256");
        if (string.IsNullOrEmpty(hmac)) return Unauthenticated("missing_signature");
        var shopDomain = ShopifyHeader(request, "Shop-Domain")?.Trim().ToLowerInvariant();
        if (!ShopDomains.IsValid(shopDomain)) return Unauthenticated("invalid_shop_domain");

        var body = await WebhookBodies.ReadLimitedAsync(request, options.MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body is null)
            return Reject(ProblemCode.PayloadTooLarge, Texts.ShopifyPayloadTooLarge(options.MaxBodyBytes));

        // Everything after the body must fit well inside Shopify's 5 s.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        budget.CancelAfter(options.ResponseBudget);

        ShopifyShop? shop;
        try
        {
            shop = await services.Lookup.GetShopifyShopAsync(shopDomain, budget.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or NotSupportedException)
        {
            LogLookupFailed(logger, e, shopDomain);
            return Reject(IngestProblems.LookupUnavailable, Texts.ShopLookupUnavailable);
        }
        if (shop is null) return Unauthenticated("unknown_shop");

        if (!WebhookSignatures.VerifyShopify(body, hmac, shop.ClientSecret, shop.PreviousClientSecret))
        {
            LogInvalidSignature(logger, shopDomain);
            return Unauthenticated("invalid_signature");
        }

        var topic = ShopifyHeader(request, "Topic")?.Trim().ToLowerInvariant();
        // Compliance webhooks also reach a shop whose integration was removed: shop/redact comes 48 h after the uninstall.
        var compliance = topic is not null && ShopifyComplianceMapper.Topics.Contains(topic);
        if (topic is null || !(compliance || Topics.ContainsKey(topic)))
            return Reject(IngestProblems.UnsupportedTopic, Texts.UnsupportedTopic(topic));
        // needs_attention: Shopify refused the Admin API token, but a delivery signed with the shop's secret is still its order.
        if (!compliance && shop.Status is not (IntegrationStatuses.Active or IntegrationStatuses.Failing or IntegrationStatuses.NeedsAttention))
            return Unauthenticated("unknown_shop");

        // JsonDocument does not validate the UTF-8 inside strings; decoding later would silently replace bytes.
        if (!System.Text.Unicode.Utf8.IsValid(body))
            return Reject(IngestProblems.InvalidEncoding, Texts.ShopifyBodyNotUtf8);

        JsonDocument document;
        try { document = JsonDocument.Parse(body); }
        catch (JsonException)
        {
            return Reject(IngestProblems.InvalidPayload, Texts.ShopifyBodyNotJson);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Reject(IngestProblems.InvalidPayload, Texts.ShopifyBodyNotObject);

            // Shopify always sends a webhook id; without one, the body itself is the best dedupe key there is.
            var webhookId = ShopifyHeader(request, "Webhook-Id")?.Trim() is { Length: > 0 } id
                ? id
                : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
            var now = services.Clock.GetUtcNow();
            // Recorded with each delivery (metric tag) and shown per topic in the shop's health: the version Shopify delivered in.
            var apiVersion = ShopifyHeader(request, "API-Version")?.Trim() is { Length: > 0 and <= 16 } version ? version : null;
            var (eventId, message) = compliance
                ? ComplianceMessage(request, document.RootElement, topic, webhookId, shop, now)
                : OrderMessage(request, document.RootElement, topic, webhookId, shop, body, now);

            // Accepted = the seen id and the event's outbox row committed together, in one statement (PostgreSQL durable), shared
            // with the webhooks accepted at the same moment (WebhookClaims): a concurrent duplicate waits on the key and then sees it
            // taken.
            // A merchant who connects does not want SMS for last month's orders: a creation, or an update, from before the shop
            // was connected (a late delivery carries its original payload) starts nothing. 200, so Shopify does not retry it.
            if (message is IShopifyOrderEvent { Order: var order } && BeforeConnection(topic, order, shop))
            {
                metrics.Rejected(Source, "before_connection");
                LogBeforeConnection(logger, topic, webhookId, shopDomain);
                return TypedResults.Ok();
            }

            var outbox = services.Outbox;
            outbox.Discard();
            outbox.Add(eventId, message);
            if (!compliance && services.Announcements.ShouldAnnounce(shop.ShopDomain, topic, now))
                outbox.Add(DeterministicGuid.Create(eventId, "delivered"), new ShopifyWebhookDelivered(shop.WorkspaceId, shop.ShopDomain, topic, now, apiVersion));
            bool claimed;
            try
            {
                claimed = await services.Claims.ClaimAsync(
                    new WebhookClaim(webhookId, Source, topic, shop.WorkspaceId, eventId, now, outbox.TakeRows()), budget.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Database unavailable: nothing was accepted, so Shopify must retry.
                LogNotSaved(logger, e, webhookId, shopDomain);
                return Reject(IngestProblems.DatabaseUnavailable, Texts.EventNotRecorded);
            }
            if (!claimed)
            {
                outbox.Discard();
                metrics.Duplicate(Source);
                LogDuplicate(logger, webhookId, shopDomain);
                return TypedResults.Ok();
            }

            // Published right after the commit, within the publish timeout; a broker that does not confirm leaves the rows to the
            // outbox dispatcher, which publishes them once it is back. Either way the webhook is accepted.
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
            confirm.CancelAfter(options.PublishTimeout);
            try { await outbox.FlushAsync(confirm.Token); }
            catch (OperationCanceledException) { LogPublishDeferred(logger, webhookId, shopDomain); }

            metrics.Accepted(Source, topic, apiVersion);
            LogAccepted(logger, topic, webhookId, shopDomain, shop.WorkspaceId, eventId);
            return TypedResults.Ok();
        }
    }

    /// <summary>An order topic's trigger event, with an EventId that is the same for every delivery of one merchant action.</summary>
    static (Guid EventId, object Message) OrderMessage(
        HttpRequest request, JsonElement root, string topic, string webhookId, ShopifyShop shop, byte[] body, DateTimeOffset now)
    {
        var order = ShopifyOrderMapper.Map(root, topic == "draft_orders/create", shop.ShopDomain, shop.DefaultCountry, Encoding.UTF8.GetString(body));
        var occurredAt = TriggeredAt(request) ?? order.UpdatedAt ?? order.CreatedAt ?? now;
        var eventId = WebhookEventIds.ForShopify(shop.ShopDomain, topic, order.Id, ShopifyHeader(request, "Event-Id")?.Trim(), webhookId);
        object message = topic switch
        {
            "orders/create" => new ShopifyOrderCreated(eventId, shop.WorkspaceId, occurredAt, order),
            "orders/updated" => new ShopifyOrderUpdated(eventId, shop.WorkspaceId, occurredAt, order),
            _ => new ShopifyDraftOrderCreated(eventId, shop.WorkspaceId, occurredAt, order),
        };
        return (eventId, message);
    }

    static (Guid EventId, object Message) ComplianceMessage(
        HttpRequest request, JsonElement root, string topic, string webhookId, ShopifyShop shop, DateTimeOffset now)
    {
        var requestId = WebhookEventIds.ForShopify(shop.ShopDomain, topic, null, ShopifyHeader(request, "Event-Id")?.Trim(), webhookId);
        return (requestId, ShopifyComplianceMapper.Map(topic, root, requestId, shop.WorkspaceId, shop.ShopDomain, shop.DefaultCountry, now));
    }

    static bool BeforeConnection(string topic, ShopifyOrder order, ShopifyShop shop) =>
        shop.ConnectedAt is { } connected
        && (topic.EndsWith("/create", StringComparison.Ordinal) ? order.CreatedAt : order.UpdatedAt) is { } at && at < connected;

    /// <summary>Shopify's headers, with the X- prefix (classic deliveries) or without it (newer event deliveries).</summary>
    static string? ShopifyHeader(HttpRequest request, string name) =>
        request.Headers.TryGetValue("X-Shopify-" + name, out var classic) && classic.Count > 0 ? classic.ToString()
        : request.Headers.TryGetValue("Shopify-" + name, out var plain) && plain.Count > 0 ? plain.ToString()
        : null;

    static DateTimeOffset? TriggeredAt(HttpRequest request) => ShopifyOrderMapper.ParseTimestamp(ShopifyHeader(request, "Triggered-At"));

    [LoggerMessage(3001, LogLevel.Debug, "Accepted Shopify {Topic} webhook {WebhookId} from {ShopDomain} for workspace {WorkspaceId} as event {EventId}")]
    static partial void LogAccepted(ILogger logger, string topic, string webhookId, string shopDomain, Guid workspaceId, Guid eventId);

    [LoggerMessage(3002, LogLevel.Debug, "Shopify webhook {WebhookId} from {ShopDomain} was already accepted; not published again")]
    static partial void LogDuplicate(ILogger logger, string webhookId, string shopDomain);

    [LoggerMessage(3003, LogLevel.Warning, "Shopify webhook from {ShopDomain} has an invalid HMAC signature")]
    static partial void LogInvalidSignature(ILogger logger, string shopDomain);

    [LoggerMessage(3004, LogLevel.Warning, "Shopify webhook {WebhookId} from {ShopDomain} could not be recorded in the database; answering 503")]
    static partial void LogNotSaved(ILogger logger, Exception exception, string webhookId, string shopDomain);

    [LoggerMessage(3006, LogLevel.Warning, "Shopify webhook {WebhookId} from {ShopDomain} was accepted, but the broker did not confirm in time; the outbox dispatcher publishes it")]
    static partial void LogPublishDeferred(ILogger logger, string webhookId, string shopDomain);

    [LoggerMessage(3007, LogLevel.Information, "Shopify {Topic} webhook {WebhookId} from {ShopDomain} is about an order from before the shop was connected; nothing started")]
    static partial void LogBeforeConnection(ILogger logger, string topic, string webhookId, string shopDomain);

    [LoggerMessage(3005, LogLevel.Warning, "Could not look up Shopify shop {ShopDomain} in config-api; answering 503")]
    static partial void LogLookupFailed(ILogger logger, Exception exception, string shopDomain);
}
