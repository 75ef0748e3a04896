using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Shopify;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// The workspace's Shopify shop: save (and subscribe the shop's webhooks through the Admin API), read (secrets
/// masked, webhooks with their last delivery), the auto-sync toggle, remove. A new shop domain or access token is saved
/// only once the Admin API confirms the token belongs to that shop (else 422/502 and nothing is reserved). When Shopify
/// then refuses a subscription the settings are still saved: the answer is 200 with status `failing`, `error` and each
/// webhook's error, and saving again retries the subscriptions that are missing.
/// </summary>
public static partial class ShopifyApi
{
    public const string DefaultCountry = "CO";

    public static RouteGroupBuilder MapShopifyApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/integrations/shopify").WithTags("Shopify");
        api.MapGet("", GetShopify).RequireAuthorization(Policies.WorkspaceRead)
            .WithName("GetShopifyIntegration").WithSummary("The workspace's Shopify shop, secrets masked, webhooks with their last delivery");
        api.MapPut("", SaveShopify).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("SaveShopifyIntegration").WithSummary("Saves the shop and creates its webhook subscriptions");
        api.MapPatch("", SetAutoSync).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("SetShopifyAutoSync").WithSummary("Crear ordenes automaticamente: on or off (only once the integration is active)");
        api.MapDelete("", DeleteShopify).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("DeleteShopifyIntegration").WithSummary("Removes the shop and its webhook subscriptions");
        return api;
    }

    public static async Task<Ok<ShopifyIntegrationResponse>> GetShopify(
        ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var shop = await Load(services.Db, user.WorkspaceIdOf(), ct);
        return TypedResults.Ok(ToResponse(shop, services.Secrets));
    }

    public static async Task<Results<Ok<ShopifyIntegrationResponse>, ProblemHttpResult>> SaveShopify(
        ShopifySettingsRequest request, ClaimsPrincipal user, ShopifyAdminClient admin,
        [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var db = services.Db;
        var shop = await Load(db, workspaceId, ct);
        var (input, errors) = IntegrationValidation.Shopify(request, shop?.ShopDomain);
        if (input is null) return Problems.Validation(errors);
        if (await db.ShopifyIntegrations.AnyAsync(s => s.ShopDomain == input.ShopDomain && s.WorkspaceId != workspaceId, ct))
            return ShopTaken();

        var now = DateTimeOffset.UtcNow;
        var secrets = services.Secrets;
        // A domain is reserved only once Shopify confirms the token is that shop's: before anything is changed or saved.
        var storedToken = shop is null ? null : secrets.Unprotect(workspaceId, shop.AccessTokenProtected);
        if (shop?.ShopDomain != input.ShopDomain || (input.AccessToken is not null && input.AccessToken != storedToken))
        {
            if (await admin.ConfirmOwnershipAsync(input.ShopDomain, input.AccessToken ?? storedToken!, ct) is { } refusal)
            {
                LogNotConfirmed(services.Logger, workspaceId, input.ShopDomain, refusal.Code);
                return Problems.Of(refusal.Status, refusal.Code, refusal.Detail);
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
                Status = IntegrationStatuses.Failing, CreatedAt = now,
            };
            db.ShopifyIntegrations.Add(shop);
        }
        else
        {
            var oldToken = storedToken!;
            if (shop.ShopDomain != input.ShopDomain || (input.AccessToken is not null && input.AccessToken != oldToken))
            {
                replaced = (shop.ShopDomain, oldToken, [.. shop.Webhooks.Where(w => w.SubscriptionId is not null).Select(w => w.SubscriptionId!)]);
                var otherShop = shop.ShopDomain != input.ShopDomain;
                foreach (var webhook in shop.Webhooks)
                {
                    webhook.SubscriptionId = null;
                    webhook.SubscribedAt = null;
                    if (otherShop) webhook.LastDeliveryAt = null;
                }
            }
            shop.ShopDomain = input.ShopDomain;
            if (input.AccessToken is not null) shop.AccessTokenProtected = secrets.Protect(workspaceId, input.AccessToken);
            if (input.ClientSecret is not null) shop.ClientSecretProtected = secrets.Protect(workspaceId, input.ClientSecret);
            if (input.DefaultCountry is not null) shop.DefaultCountry = input.DefaultCountry;
        }
        if (input.PreviousClientSecret is not null) shop.PreviousClientSecretProtected = secrets.Protect(workspaceId, input.PreviousClientSecret);
        else if (input.ClearPreviousSecret) shop.PreviousClientSecretProtected = null;
        shop.UpdatedAt = now;

        await SubscribeMissingAsync(shop, input.AccessToken ?? secrets.Unprotect(workspaceId, shop.AccessTokenProtected), admin, now, ct);
        services.Announce(Change(shop, shop.Status, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return ShopTaken();
        }
        LogSaved(services.Logger, workspaceId, shop.ShopDomain, shop.Status);

        await services.PublishAsync(ct);
        if (replaced is { Ids.Count: > 0 } old) await admin.UnsubscribeAsync(old.Domain, old.Token, old.Ids, ct);
        return TypedResults.Ok(ToResponse(shop, secrets));
    }

    public static async Task<Results<Ok<ShopifyIntegrationResponse>, ProblemHttpResult>> SetAutoSync(
        ShopifyAutoSyncRequest request, ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        if (request.AutoSyncOrders is not { } autoSync)
            return Problems.Validation([new("autoSyncOrders", "required", "Indica si las órdenes de Shopify se crean automáticamente (true o false).")]);
        var shop = await Load(services.Db, workspaceId, ct);
        if (shop is null) return NotConfigured();
        if (shop.Status != IntegrationStatuses.Active)
            return Problems.Of(StatusCodes.Status409Conflict, "shopify_not_active",
                "Crear órdenes automáticamente solo está disponible cuando la integración de Shopify está activa. Corrige el error indicado y guarda la configuración de nuevo.");

        var now = DateTimeOffset.UtcNow;
        shop.AutoSyncOrders = autoSync;
        shop.UpdatedAt = now;
        services.Announce(Change(shop, shop.Status, now));
        await services.Db.SaveChangesAsync(ct);
        LogAutoSync(services.Logger, workspaceId, autoSync);
        await services.PublishAsync(ct);
        return TypedResults.Ok(ToResponse(shop, services.Secrets));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteShopify(
        ClaimsPrincipal user, ShopifyAdminClient admin, [AsParameters] IntegrationServices services, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var shop = await Load(services.Db, workspaceId, ct);
        if (shop is null) return NotConfigured();
        var token = services.Secrets.Unprotect(workspaceId, shop.AccessTokenProtected);
        var subscriptions = shop.Webhooks.Where(w => w.SubscriptionId is not null).Select(w => w.SubscriptionId!).ToList();
        services.Db.ShopifyIntegrations.Remove(shop);
        services.Announce(Change(shop, IntegrationStatuses.Removed, DateTimeOffset.UtcNow));
        await services.Db.SaveChangesAsync(ct);
        LogRemoved(services.Logger, workspaceId, shop.ShopDomain);
        await services.PublishAsync(ct);
        if (subscriptions.Count > 0) await admin.UnsubscribeAsync(shop.ShopDomain, token, subscriptions, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Creates the subscriptions the shop lacks and sets the status: active once all three exist.</summary>
    static async Task SubscribeMissingAsync(ShopifyIntegration shop, string accessToken, ShopifyAdminClient admin, DateTimeOffset now, CancellationToken ct)
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
            : $"La configuración se guardó, pero no se pudieron crear todos los webhooks de Shopify: {failure.ErrorDetail}";
    }

    static Task<ShopifyIntegration?> Load(ConfigDbContext db, Guid workspaceId, CancellationToken ct) =>
        db.ShopifyIntegrations.Include(s => s.Webhooks).FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);

    static IntegrationChanged Change(ShopifyIntegration shop, string status, DateTimeOffset at) =>
        new(shop.WorkspaceId, IntegrationKinds.Shopify, status, shop.ShopDomain, shop.AutoSyncOrders, at);

    static ProblemHttpResult NotConfigured() =>
        Problems.Of(StatusCodes.Status404NotFound, "shopify_not_configured",
            "Este espacio de trabajo no tiene una tienda de Shopify conectada. Ingresa el dominio, el access token y el client secret.");

    static ProblemHttpResult ShopTaken() =>
        Problems.Of(StatusCodes.Status409Conflict, "shop_domain_taken",
            "Esa tienda de Shopify ya está conectada a otro espacio de trabajo; desconéctala allí primero.");

    static ShopifyIntegrationResponse ToResponse(ShopifyIntegration? shop, SecretProtector secrets)
    {
        if (shop is null) return new(false, null, null, null, null, null, null, null, null, [], null);
        string Reveal(string ciphertext) => Secrets.Mask(secrets.Unprotect(shop.WorkspaceId, ciphertext));
        var webhooks = ShopifyAdminClient.Topics
            .Select(topic => shop.Webhooks.FirstOrDefault(w => w.Topic == topic))
            .Where(w => w is not null)
            .Select(w => new ShopifyWebhookResponse(w!.Topic, w.SubscriptionId is null ? "failed" : "active", w.SubscriptionId, w.Error, w.LastDeliveryAt))
            .ToList();
        return new(true, shop.ShopDomain, Reveal(shop.AccessTokenProtected), Reveal(shop.ClientSecretProtected),
            shop.PreviousClientSecretProtected is { } previous ? Reveal(previous) : null,
            shop.DefaultCountry, shop.AutoSyncOrders, shop.Status,
            shop.ErrorCode is null ? null : new IntegrationError(shop.ErrorCode, shop.ErrorDetail ?? ""),
            webhooks, shop.UpdatedAt);
    }

    [LoggerMessage(5001, LogLevel.Information, "Saved Shopify shop {ShopDomain} for workspace {WorkspaceId}: {Status}")]
    static partial void LogSaved(ILogger logger, Guid workspaceId, string shopDomain, string status);

    [LoggerMessage(5002, LogLevel.Information, "Shopify auto-sync for workspace {WorkspaceId} set to {AutoSyncOrders}")]
    static partial void LogAutoSync(ILogger logger, Guid workspaceId, bool autoSyncOrders);

    [LoggerMessage(5004, LogLevel.Warning, "Shop {ShopDomain} not reserved for workspace {WorkspaceId}: ownership not confirmed ({Code})")]
    static partial void LogNotConfirmed(ILogger logger, Guid workspaceId, string shopDomain, string code);

    [LoggerMessage(5003, LogLevel.Information, "Removed Shopify shop {ShopDomain} of workspace {WorkspaceId}")]
    static partial void LogRemoved(ILogger logger, Guid workspaceId, string shopDomain);
}
