using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Apis;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Shopify;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Integrations;

/// <summary>
/// A workspace's Shopify shop: save (and subscribe the shop's webhooks through the Admin API), the auto-sync toggle,
/// remove. A new shop domain or access token is saved only once the Admin API confirms the token belongs to that shop
/// (else a refusal, and nothing is reserved). When Shopify then refuses a subscription the settings are still saved, with
/// status `failing`, an error and each webhook's error; saving again retries the subscriptions that are missing. Every
/// committed change is announced as IntegrationChanged.
/// </summary>
public sealed partial class ShopifyConnection(
    ConfigDbContext db, SecretProtector secrets, ShopifyAdminClient admin, IntegrationAnnouncements announcements,
    ShopifyReconciler reconciler, ILogger<ShopifyConnection> logger)
{
    public const string DefaultCountry = "CO";

    public Task<ShopifyIntegration?> FindAsync(Guid workspaceId, CancellationToken ct) =>
        db.ShopifyIntegrations.Include(s => s.Webhooks).FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);

    /// <summary>Validates and saves the form, then subscribes the missing webhooks; the saved shop, or why nothing was saved.</summary>
    public async Task<(ShopifyIntegration? Shop, IntegrationRefusal? Refusal)> SaveAsync(
        Guid workspaceId, ShopifySettingsRequest request, CancellationToken ct)
    {
        var shop = await FindAsync(workspaceId, ct);
        var (input, errors) = IntegrationValidation.Shopify(request, shop?.ShopDomain);
        if (input is null) return (null, IntegrationRefusal.Invalid(errors));
        if (await db.ShopifyIntegrations.AnyAsync(s => s.ShopDomain == input.ShopDomain && s.WorkspaceId != workspaceId, ct))
            return (null, ShopTaken);

        var now = DateTimeOffset.UtcNow;
        // A domain is reserved only once Shopify confirms the token is that shop's: before anything is changed or saved.
        var storedToken = shop is null ? null : secrets.Unprotect(workspaceId, shop.AccessTokenProtected);
        if (shop?.ShopDomain != input.ShopDomain || (input.AccessToken is not null && input.AccessToken != storedToken))
        {
            if (await admin.ConfirmOwnershipAsync(input.ShopDomain, input.AccessToken ?? storedToken!, ct) is { } refusal)
            {
                LogNotConfirmed(workspaceId, input.ShopDomain, refusal.Code);
                return (null, new(refusal.Status, refusal.Code, refusal.Detail));
            }
        }
        // Subscriptions made with another shop or token are replaced: remember them to delete them at Shopify afterwards.
        (string Domain, string Token, List<string> Ids)? replaced = null;
        if (shop is null)
        {
            shop = new ShopifyIntegration
            {
                WorkspaceId = workspaceId, ShopDomain = input.ShopDomain, DefaultCountry = input.DefaultCountry ?? DefaultCountry,
                AccessTokenProtected = secrets.Protect(workspaceId, input.AccessToken!),
                ClientSecretProtected = secrets.Protect(workspaceId, input.ClientSecret!),
                Status = IntegrationStatuses.Failing, CreatedAt = now, ConnectedAt = ToSecond(now),
            };
            db.ShopifyIntegrations.Add(shop);
        }
        else
        {
            var oldToken = storedToken!;
            if (shop.ShopDomain != input.ShopDomain || (input.AccessToken is not null && input.AccessToken != oldToken))
            {
                replaced = (shop.ShopDomain, oldToken, SubscriptionIds(shop));
                var otherShop = shop.ShopDomain != input.ShopDomain;
                foreach (var webhook in shop.Webhooks)
                {
                    webhook.SubscriptionId = null;
                    webhook.SubscribedAt = null;
                    if (otherShop) webhook.LastDeliveryAt = null;
                }
                // Another shop is a new connection: its orders from before now start nothing.
                if (otherShop) (shop.ConnectedAt, shop.OrdersWatermark, shop.DraftOrdersWatermark, shop.IanaTimezone) = (ToSecond(now), null, null, null);
            }
            shop.ShopDomain = input.ShopDomain;
            if (input.AccessToken is not null) shop.AccessTokenProtected = secrets.Protect(workspaceId, input.AccessToken);
            if (input.ClientSecret is not null) shop.ClientSecretProtected = secrets.Protect(workspaceId, input.ClientSecret);
            if (input.DefaultCountry is not null) shop.DefaultCountry = input.DefaultCountry;
        }
        if (input.PreviousClientSecret is not null) shop.PreviousClientSecretProtected = secrets.Protect(workspaceId, input.PreviousClientSecret);
        else if (input.ClearPreviousSecret) shop.PreviousClientSecretProtected = null;
        shop.UpdatedAt = now;
        // A save resumes reconciliation at once, a paused one (needs_attention) included.
        (shop.ReconcileDueAt, shop.ReconcileErrorCode, shop.ReconcileErrorDetail) = (now, null, null);

        await SubscribeMissingAsync(shop, input.AccessToken ?? secrets.Unprotect(workspaceId, shop.AccessTokenProtected), now, ct);
        announcements.Add(Change(shop, shop.Status, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return (null, ShopTaken);
        }
        LogSaved(workspaceId, shop.ShopDomain, shop.Status);

        await announcements.PublishAsync(ct);
        reconciler.Wake();
        if (replaced is { Ids.Count: > 0 } old) await admin.UnsubscribeAsync(old.Domain, old.Token, old.Ids, ct);
        return (shop, null);
    }

    /// <summary>"Crear órdenes automáticamente" on or off: only while the integration is active.</summary>
    public async Task<(ShopifyIntegration? Shop, IntegrationRefusal? Refusal)> SetAutoSyncAsync(
        Guid workspaceId, bool? autoSyncOrders, CancellationToken ct)
    {
        if (autoSyncOrders is not { } autoSync)
            return (null, IntegrationRefusal.Invalid(new FieldError("autoSyncOrders", "required", Texts.AutoSyncRequired)));
        var shop = await FindAsync(workspaceId, ct);
        if (shop is null) return (null, NotConfigured);
        if (shop.Status != IntegrationStatuses.Active)
            return (null, new(ConfigProblems.ShopifyNotActive, Texts.AutoSyncNeedsActiveShop));

        var now = DateTimeOffset.UtcNow;
        shop.AutoSyncOrders = autoSync;
        shop.UpdatedAt = now;
        announcements.Add(Change(shop, shop.Status, now));
        await db.SaveChangesAsync(ct);
        LogAutoSync(workspaceId, autoSync);
        await announcements.PublishAsync(ct);
        return (shop, null);
    }

    /// <summary>Removes the shop, then its webhook subscriptions at Shopify; false when there was none.</summary>
    public async Task<bool> RemoveAsync(Guid workspaceId, CancellationToken ct)
    {
        var shop = await FindAsync(workspaceId, ct);
        if (shop is null) return false;
        var token = secrets.Unprotect(workspaceId, shop.AccessTokenProtected);
        var subscriptions = SubscriptionIds(shop);
        var now = DateTimeOffset.UtcNow;
        db.ShopifyIntegrations.Remove(shop);
        // shop/redact may come long after this (48 h after the store uninstalls): its secret stays, for compliance topics only.
        var tombstone = ShopifySecretTombstone.Of(shop, now);
        if (await db.ShopifySecretTombstones.FindAsync([shop.ShopDomain], ct) is { } earlier) db.Entry(earlier).CurrentValues.SetValues(tombstone);
        else db.ShopifySecretTombstones.Add(tombstone);
        announcements.Add(Change(shop, IntegrationStatuses.Removed, now));
        await db.SaveChangesAsync(ct);
        LogRemoved(workspaceId, shop.ShopDomain);
        await announcements.PublishAsync(ct);
        if (subscriptions.Count > 0) await admin.UnsubscribeAsync(shop.ShopDomain, token, subscriptions, ct);
        return true;
    }

    public static readonly IntegrationRefusal NotConfigured = new(ConfigProblems.ShopifyNotConfigured, Texts.ShopifyNotConfigured);

    static readonly IntegrationRefusal ShopTaken = new(ConfigProblems.ShopDomainTaken, Texts.ShopDomainTaken);

    /// <summary>Creates the subscriptions the shop lacks and sets the status: active once all three exist.</summary>
    async Task SubscribeMissingAsync(ShopifyIntegration shop, string accessToken, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var topic in ShopifyAdminClient.Topics.Where(t => shop.Webhooks.All(w => w.Topic != t)))
            shop.Webhooks.Add(new ShopifyWebhookSubscription { WorkspaceId = shop.WorkspaceId, Topic = topic });

        var missing = shop.Webhooks.Where(w => w.SubscriptionId is null).ToList();
        var outcomes = await admin.SubscribeAsync(shop.ShopDomain, accessToken, missing.Select(w => w.Topic), ct);
        foreach (var (webhook, outcome) in missing.Zip(outcomes))
        {
            webhook.SubscriptionId = outcome.SubscriptionId;
            webhook.Error = outcome.ErrorDetail;
            webhook.SubscribedAt = outcome.Succeeded ? now : null;
        }

        var failure = outcomes.FirstOrDefault(o => !o.Succeeded);
        shop.Status = failure is null ? IntegrationStatuses.Active : IntegrationStatuses.Failing;
        shop.ErrorCode = failure?.ErrorCode;
        shop.ErrorDetail = failure is null ? null
            : Texts.WebhooksIncomplete(failure.ErrorDetail);
    }

    /// <summary>Shopify writes times to the second: an order placed in the second the shop was connected counts as after it.</summary>
    static DateTimeOffset ToSecond(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    static List<string> SubscriptionIds(ShopifyIntegration shop) =>
        [.. shop.Webhooks.Where(w => w.SubscriptionId is not null).Select(w => w.SubscriptionId!)];

    /// <summary>The shop's IntegrationChanged: never a secret; its time zone once reconciliation has read it.</summary>
    internal static IntegrationChanged Change(ShopifyIntegration shop, string status, DateTimeOffset at) =>
        new(shop.WorkspaceId, IntegrationKinds.Shopify, status, shop.ShopDomain, shop.AutoSyncOrders, at, shop.IanaTimezone);

    [LoggerMessage(5001, LogLevel.Information, "Saved Shopify shop {ShopDomain} for workspace {WorkspaceId}: {Status}")]
    partial void LogSaved(Guid workspaceId, string shopDomain, string status);

    [LoggerMessage(5002, LogLevel.Information, "Shopify auto-sync for workspace {WorkspaceId} set to {AutoSyncOrders}")]
    partial void LogAutoSync(Guid workspaceId, bool autoSyncOrders);

    [LoggerMessage(5004, LogLevel.Warning, "Shop {ShopDomain} not reserved for workspace {WorkspaceId}: ownership not confirmed ({Code})")]
    partial void LogNotConfirmed(Guid workspaceId, string shopDomain, string code);

    [LoggerMessage(5003, LogLevel.Information, "Removed Shopify shop {ShopDomain} of workspace {WorkspaceId}")]
    partial void LogRemoved(Guid workspaceId, string shopDomain);
}
