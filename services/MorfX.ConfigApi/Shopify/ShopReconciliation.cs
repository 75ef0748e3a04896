using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Integrations;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.ShopifyOrders;

namespace MorfX.ConfigApi.Shopify;

/// <summary>
/// One reconciliation pass over one shop (docs/decisions/0027): the watchdog first (each of MorfX's topics subscribed at
/// Shopify, else created again and recorded), then the orders and draft orders updated since the shop's watermarks, read
/// from the Admin GraphQL API oldest change first. Each order becomes the event its webhook would have made, with the same
/// EventId for a creation, so whichever of the two comes second is a no-op; each page's events and its watermark commit in
/// one statement. Nothing created before the shop was connected starts an automation. A 401 pauses the shop
/// (<c>needs_attention</c>) until the merchant saves a token again; any other failure is shown and retried next pass.
/// </summary>
public sealed partial class ShopReconciliation(
    ConfigDbContext db, SecretProtector secrets, ShopifyAdminClient admin, Outbox<ConfigDbContext> outbox,
    IntegrationAnnouncements announcements, ShopifyMetrics metrics, IOptions<ShopifyAdminOptions> options,
    TimeProvider clock, ILogger<ShopReconciliation> logger)
{
    const string Unauthorized = "shopify_unauthorized";

    ShopifyAdminOptions Options => options.Value;

    public async Task RunAsync(Guid workspaceId, CancellationToken ct)
    {
        var shop = await db.ShopifyIntegrations.Include(s => s.Webhooks).FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);
        if (shop is null || shop.Status is not (IntegrationStatuses.Active or IntegrationStatuses.Failing)) return;
        var (tokenProtected, knownZone) = (shop.AccessTokenProtected, shop.IanaTimezone);
        var token = secrets.Unprotect(workspaceId, tokenProtected);

        string? deprecated = null;
        AdminAnswer Seen(AdminAnswer answer)
        {
            deprecated = answer.DeprecatedReason ?? deprecated;
            return answer;
        }

        // The orders matter more than the watchdog: a subscription listing that failed does not stop them, a refused token does.
        var failure = await HealSubscriptionsAsync(shop, token, Seen, ct);
        var more = false;
        foreach (var drafts in new[] { false, true })
        {
            if (failure is { Code: Unauthorized }) break;
            var (readFailure, left) = await ReadAsync(shop, token, drafts, Seen, ct);
            failure = readFailure is { Code: Unauthorized } ? readFailure : failure ?? readFailure;
            more |= left;
        }

        if (failure is { Code: Unauthorized })
        {
            await PauseAsync(shop, tokenProtected, ct);
            return;
        }
        var now = clock.GetUtcNow();
        shop.ApiDeprecatedReason = deprecated;
        shop.ReconcileErrorCode = failure?.Code;
        shop.ReconcileErrorDetail = failure is { } f ? Texts.ReconcileFailed(f.Detail) : null;
        if (failure is null) shop.LastReconciledAt = now;
        // A shop with more than a pass's pages left goes on at once.
        if (more) shop.ReconcileDueAt = now;
        // The engine reads send windows on the shop's clock: a zone learned or changed is announced with it.
        if (shop.IanaTimezone != knownZone)
        {
            announcements.Add(ShopifyConnection.Change(shop, shop.Status, now));
            LogZoneChanged(shop.ShopDomain, shop.IanaTimezone);
        }
        await db.SaveChangesAsync(ct);
        await announcements.PublishAsync(ct);
        if (failure is { } problem) LogPassFailed(shop.ShopDomain, problem.Code);
    }

    /// <summary>
    /// Each topic subscribed to webhook-ingest at Shopify; a missing one (Shopify removes subscriptions whose deliveries keep
    /// failing) is created again with the current callback URL, and the repair recorded.
    /// </summary>
    async Task<(string Code, string Detail)?> HealSubscriptionsAsync(
        ShopifyIntegration shop, string token, Func<AdminAnswer, AdminAnswer> seen, CancellationToken ct)
    {
        var (subscribed, answer) = await admin.SubscribedTopicsAsync(shop.ShopDomain, token, ct);
        seen(answer);
        if (subscribed is null) return answer.Error ?? ("shopify_error", Texts.WebhookNotCreated);

        var now = clock.GetUtcNow();
        foreach (var topic in ShopifyAdminClient.Topics.Where(t => shop.Webhooks.All(w => w.Topic != t)))
            shop.Webhooks.Add(new ShopifyWebhookSubscription { WorkspaceId = shop.WorkspaceId, Topic = topic });
        var missing = new List<ShopifyWebhookSubscription>();
        foreach (var webhook in shop.Webhooks)
        {
            if (subscribed.TryGetValue(webhook.Topic, out var id))
            {
                if (webhook.SubscriptionId != id) (webhook.SubscriptionId, webhook.SubscribedAt) = (id, webhook.SubscribedAt ?? now);
                webhook.Error = null;
            }
            else missing.Add(webhook);
        }

        var outcomes = missing.Count == 0 ? [] : await admin.SubscribeAsync(shop.ShopDomain, token, missing.Select(w => w.Topic), ct);
        foreach (var (webhook, outcome) in missing.Zip(outcomes))
        {
            db.ShopifySubscriptionRepairs.Add(new ShopifySubscriptionRepair
            {
                WorkspaceId = shop.WorkspaceId, Topic = webhook.Topic, SubscriptionId = outcome.SubscriptionId, Error = outcome.ErrorDetail, RepairedAt = now,
            });
            webhook.SubscriptionId = outcome.SubscriptionId;
            webhook.Error = outcome.ErrorDetail;
            if (outcome.Succeeded)
            {
                (webhook.SubscribedAt, webhook.RestoredAt) = (now, now);
                metrics.Restored(webhook.Topic);
                LogRestored(shop.ShopDomain, webhook.Topic);
            }
            else LogNotRestored(shop.ShopDomain, webhook.Topic, outcome.ErrorCode ?? "unknown");
        }

        var stillMissing = shop.Webhooks.Where(w => w.SubscriptionId is null).Select(w => w.Topic).ToList();
        var status = stillMissing.Count == 0 ? IntegrationStatuses.Active : IntegrationStatuses.Failing;
        (shop.ErrorCode, shop.ErrorDetail) = stillMissing.Count == 0 ? (null, null)
            : ("shopify_webhooks_missing", Texts.SubscriptionsMissing(string.Join(", ", stillMissing)));
        if (status != shop.Status)
        {
            shop.Status = status;
            shop.UpdatedAt = now;
            announcements.Add(ShopifyConnection.Change(shop, status, now));
        }
        await db.SaveChangesAsync(ct);
        await announcements.PublishAsync(ct);
        return null;
    }

    /// <summary>
    /// The orders (or draft orders) updated since the watermark, a page at a time, up to ReconcileMaxPages; true as the
    /// second value when pages were left for the next pass.
    /// </summary>
    async Task<((string Code, string Detail)? Failure, bool More)> ReadAsync(
        ShopifyIntegration shop, string token, bool drafts, Func<AdminAnswer, AdminAnswer> seen, CancellationToken ct)
    {
        var watermark = (drafts ? shop.DraftOrdersWatermark : shop.OrdersWatermark) ?? shop.ConnectedAt;
        var from = Later(watermark - Options.ReconcileOverlap, shop.ConnectedAt);
        // A creation is recovered only while the engine still remembers the events it ran (7 days): after an outage longer
        // than ReconcileRecoverWithin, older creations are left alone rather than risk running one twice.
        var createdSince = Later(from, clock.GetUtcNow() - Options.ReconcileRecoverWithin);
        // Once every page is read, everything changed before the pass's start less the overlap has been seen: the watermark
        // moves on with time too, so a quiet shop's last orders are not read again pass after pass.
        // It never moves past the pass's start: an order dated ahead of this clock is read again rather than skipped.
        var passStart = clock.GetUtcNow();
        var seenThrough = passStart - Options.ReconcileOverlap;
        var search = $"updated_at:>='{from.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}'";
        string? cursor = null;
        for (var pages = 0; pages < Options.ReconcileMaxPages; pages++)
        {
            var (page, answer) = await admin.OrdersPageAsync(shop.ShopDomain, token, drafts, search, cursor, Options.ReconcilePageSize, ct);
            seen(answer);
            if (page is null) return (answer.Error ?? ("shopify_error", Texts.ShopifyRequestRefused(null)), false);
            if (page.IanaTimezone is { Length: > 0 } zone) shop.IanaTimezone = zone;

            var (newest, events) = (page.NextCursor is null ? Later(watermark, seenThrough) : watermark, 0);
            foreach (var node in page.Nodes)
            {
                var order = Map(node, drafts, shop);
                if (order.UpdatedAt is { } updated && updated > newest) newest = updated < passStart ? updated : passStart;
                foreach (var (eventId, message) in Events(order, drafts, shop, createdSince))
                {
                    outbox.Add(eventId, message);
                    events++;
                }
            }
            await SaveWatermarkAsync(shop, drafts, newest, events > 0, ct);
            watermark = newest;
            await outbox.FlushAsync(ct);

            if (page.NextCursor is null) return (null, false);
            cursor = page.NextCursor;
            // Stay inside the shop's bucket: wait until it holds another page's cost.
            if (answer.Throttle is { } throttle && throttle.WaitFor(throttle.RequestedCost) is var wait && wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, ct);
        }
        return (null, true);
    }

    /// <summary>
    /// The events the webhooks would have made: a creation since <paramref name="createdSince"/> (never before the connection)
    /// under the webhook's EventId; for orders, also the current state of one updated after its creation.
    /// </summary>
    static IEnumerable<(Guid EventId, object Message)> Events(ShopifyOrder order, bool drafts, ShopifyIntegration shop, DateTimeOffset createdSince)
    {
        if (order.Id is not { } id) yield break;
        var topic = drafts ? "draft_orders/create" : "orders/create";
        if (order.CreatedAt is { } created && created >= createdSince)
        {
            var eventId = WebhookEventIds.ForShopify(shop.ShopDomain, topic, id, null, "");
            yield return (eventId, drafts
                ? new ShopifyDraftOrderCreated(eventId, shop.WorkspaceId, created, order) { Reconciled = true }
                : new ShopifyOrderCreated(eventId, shop.WorkspaceId, created, order) { Reconciled = true });
        }
        if (!drafts && order.UpdatedAt is { } updated && updated > order.CreatedAt && updated >= shop.ConnectedAt)
        {
            var eventId = WebhookEventIds.ForReconciledUpdate(shop.ShopDomain, id, updated);
            yield return (eventId, new ShopifyOrderUpdated(eventId, shop.WorkspaceId, updated, order) { Reconciled = true });
        }
    }

    /// <summary>The GraphQL node through the webhook's own mapping (ShopifyGraphQlOrders), in the shop's time zone.</summary>
    static ShopifyOrder Map(System.Text.Json.Nodes.JsonObject node, bool drafts, ShopifyIntegration shop)
    {
        using var graphQl = JsonDocument.Parse(node.ToJsonString());
        var rest = ShopifyGraphQlOrders.ToRestShape(graphQl.RootElement, drafts, ShopZone(shop.IanaTimezone)).ToJsonString();
        using var document = JsonDocument.Parse(rest);
        return ShopifyOrderMapper.Map(document.RootElement, drafts, shop.ShopDomain, shop.DefaultCountry, rest);
    }

    static TimeZoneInfo ShopZone(string? iana) =>
        iana is not null && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// The page's events and the new watermark in one statement: both commit, or neither (a repeat is not written twice). A
    /// page without events leaves the watermark to the pass's last save: a quiet shop's pass is one commit.
    /// </summary>
    async Task SaveWatermarkAsync(ShopifyIntegration shop, bool drafts, DateTimeOffset watermark, bool withEvents, CancellationToken ct)
    {
        var entry = db.Entry(shop).Property(drafts ? nameof(ShopifyIntegration.DraftOrdersWatermark) : nameof(ShopifyIntegration.OrdersWatermark));
        entry.CurrentValue = watermark;
        if (!withEvents) return;
        FormattableString update = $"UPDATE shopify_integrations SET orders_watermark = {watermark} WHERE workspace_id = {shop.WorkspaceId} RETURNING 1";
        if (drafts) update = $"UPDATE shopify_integrations SET draft_orders_watermark = {watermark} WHERE workspace_id = {shop.WorkspaceId} RETURNING 1";
        await outbox.SaveWithClaimAsync(update, ct);
        entry.OriginalValue = watermark;
    }

    /// <summary>Shopify refused the token: the shop waits for a new save (no retry storm). Not if the token changed meanwhile.</summary>
    async Task PauseAsync(ShopifyIntegration shop, string tokenProtected, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var paused = await db.ShopifyIntegrations
            .Where(s => s.WorkspaceId == shop.WorkspaceId && s.AccessTokenProtected == tokenProtected)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, IntegrationStatuses.NeedsAttention)
                .SetProperty(x => x.ErrorCode, "shopify_token_revoked")
                .SetProperty(x => x.ErrorDetail, Texts.ShopifyTokenRevoked)
                .SetProperty(x => x.ReconcileErrorCode, "shopify_token_revoked")
                .SetProperty(x => x.ReconcileErrorDetail, Texts.ShopifyTokenRevoked)
                .SetProperty(x => x.UpdatedAt, now), ct);
        if (paused == 0) return;
        LogPaused(shop.ShopDomain);
        db.ChangeTracker.Clear();
        announcements.Add(ShopifyConnection.Change(shop, IntegrationStatuses.NeedsAttention, now));
        await db.SaveChangesAsync(ct);
        await announcements.PublishAsync(ct);
    }

    static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(4301, LogLevel.Warning, "Shopify had removed the {Topic} subscription of shop {ShopDomain}; created it again")]
    partial void LogRestored(string shopDomain, string topic);

    [LoggerMessage(4302, LogLevel.Warning, "The {Topic} subscription of shop {ShopDomain} is missing and could not be created again ({ErrorCode})")]
    partial void LogNotRestored(string shopDomain, string topic, string errorCode);

    [LoggerMessage(4303, LogLevel.Warning, "Reconciliation of shop {ShopDomain} did not finish ({ErrorCode}); retried next pass")]
    partial void LogPassFailed(string shopDomain, string errorCode);

    [LoggerMessage(4311, LogLevel.Information, "Shop {ShopDomain} keeps time zone {IanaTimezone}: announced")]
    partial void LogZoneChanged(string shopDomain, string? ianaTimezone);

    [LoggerMessage(4304, LogLevel.Warning, "Shopify refused the access token of shop {ShopDomain}: reconciliation paused until the integration is saved again")]
    partial void LogPaused(string shopDomain);
}
