using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApi.Integrations;
using MorfX.ConfigApi.Shopify;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// The workspace's Shopify shop (see <see cref="ShopifyConnection"/>): save, read (secrets masked, webhooks with their
/// last delivery), the auto-sync toggle, remove. A save Shopify partly refused still answers 200, with status `failing`,
/// `error` and each webhook's error.
/// </summary>
public static class ShopifyApi
{
    public static RouteGroupBuilder MapShopifyApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/integrations/shopify").WithTags("Shopify");
        api.MapGet("", GetShopify).RequireAuthorization(Policies.WorkspaceRead)
            .WithName("GetShopifyIntegration").WithSummary("The workspace's Shopify shop, secrets masked, webhooks with their last delivery");
        api.MapPut("", SaveShopify).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("SaveShopifyIntegration").WithSummary("Saves the shop and creates its webhook subscriptions")
            .WithRequestExample(RequestBodies.Shopify)
            .ProducesProblems([ProblemCode.ValidationFailed, ConfigProblems.ShopDomainTaken, ConfigProblems.ConcurrentUpdate, .. ConfigProblems.OwnershipRefusals]);
        api.MapPatch("", SetAutoSync).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("SetShopifyAutoSync").WithSummary("Auto-sync of orders into the CRM (\"Crear órdenes automáticamente\"): on or off (only once the integration is active)")
            .WithRequestExample(RequestBodies.AutoSync)
            .ProducesProblems(ProblemCode.ValidationFailed, ConfigProblems.ShopifyNotConfigured, ConfigProblems.ShopifyNotActive);
        api.MapGet("/health", GetHealth).RequireAuthorization(Policies.WorkspaceRead)
            .WithName("GetShopifyHealth")
            .WithSummary("Delivery health: each webhook subscription, the last webhook, reconciliation and the orders it recovered")
            .ProducesProblems(ConfigProblems.ShopifyNotConfigured);
        api.MapDelete("", DeleteShopify).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("DeleteShopifyIntegration").WithSummary("Removes the shop and its webhook subscriptions")
            .ProducesProblems(ConfigProblems.ShopifyNotConfigured);
        return api;
    }

    public static async Task<Ok<ShopifyIntegrationResponse>> GetShopify(
        ClaimsPrincipal user, ShopifyConnection connection, SecretProtector secrets, CancellationToken ct)
    {
        var shop = await connection.FindAsync(user.WorkspaceIdOf(), ct);
        return TypedResults.Ok(ToResponse(shop, secrets));
    }

    public static async Task<Results<Ok<ShopifyIntegrationResponse>, ProblemHttpResult>> SaveShopify(
        ShopifySettingsRequest request, ClaimsPrincipal user, ShopifyConnection connection, SecretProtector secrets, CancellationToken ct)
    {
        var (shop, refusal) = await connection.SaveAsync(user.WorkspaceIdOf(), request, ct);
        return shop is null ? refusal!.ToProblem() : TypedResults.Ok(ToResponse(shop, secrets));
    }

    public static async Task<Results<Ok<ShopifyIntegrationResponse>, ProblemHttpResult>> SetAutoSync(
        ShopifyAutoSyncRequest request, ClaimsPrincipal user, ShopifyConnection connection, SecretProtector secrets, CancellationToken ct)
    {
        var (shop, refusal) = await connection.SetAutoSyncAsync(user.WorkspaceIdOf(), request.AutoSyncOrders, ct);
        return shop is null ? refusal!.ToProblem() : TypedResults.Ok(ToResponse(shop, secrets));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteShopify(
        ClaimsPrincipal user, ShopifyConnection connection, CancellationToken ct) =>
        await connection.RemoveAsync(user.WorkspaceIdOf(), ct) ? TypedResults.NoContent() : ShopifyConnection.NotConfigured.ToProblem();

    public static async Task<Results<Ok<ShopifyHealthResponse>, ProblemHttpResult>> GetHealth(
        ClaimsPrincipal user, ShopifyConnection connection, ConfigDbContext db, IOptions<ShopifyAdminOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var shop = await connection.FindAsync(workspaceId, ct);
        if (shop is null) return ShopifyConnection.NotConfigured.ToProblem();
        var now = clock.GetUtcNow();
        var (dayAgo, weekAgo) = (now.AddDays(-1), now.AddDays(-7));
        var recovered = await db.ShopifyRecoveredOrders.Where(r => r.WorkspaceId == workspaceId && r.RecoveredAt >= weekAgo)
            .GroupBy(_ => 1)
            .Select(g => new ShopifyRecoveredCounts(g.Count(r => r.RecoveredAt >= dayAgo), g.Count()))
            .FirstOrDefaultAsync(ct) ?? new(0, 0);

        var subscriptions = ShopifyAdminClient.Topics
            .Select(topic => shop.Webhooks.FirstOrDefault(w => w.Topic == topic) ?? new ShopifyWebhookSubscription { WorkspaceId = workspaceId, Topic = topic })
            .Select(w => new ShopifySubscriptionHealth(w.Topic, w.SubscriptionId is null ? "missing" : w.RestoredAt is null ? "active" : "restored",
                w.SubscribedAt, w.RestoredAt, w.LastDeliveryAt, w.LastDeliveryApiVersion, w.Error))
            .ToList();
        var last = shop.Webhooks.Where(w => w.LastDeliveryAt is not null).MaxBy(w => w.LastDeliveryAt);
        var o = options.Value;
        IntegrationError? problem =
            shop.ErrorCode is { } code ? new(code, shop.ErrorDetail ?? "")
            : shop.ReconcileErrorCode is { } failed ? new(failed, shop.ReconcileErrorDetail ?? "")
            : shop.ApiDeprecatedReason is { } reason ? new("shopify_api_deprecated", Texts.ApiDeprecated(o.ApiVersion, reason))
            : recovered.Last24Hours > 0 ? new("shopify_webhooks_missed", Texts.OrdersRecovered(recovered.Last24Hours))
            : null;
        return TypedResults.Ok(new ShopifyHealthResponse(
            shop.ShopDomain, shop.Status, o.ApiVersion, shop.ConnectedAt, subscriptions,
            last is null ? null : new ShopifyLastWebhook(last.Topic, last.LastDeliveryAt!.Value, last.LastDeliveryApiVersion),
            new ShopifyReconciliationHealth(shop.LastReconciledAt, shop.OrdersWatermark ?? shop.ConnectedAt,
                shop.DraftOrdersWatermark ?? shop.ConnectedAt, shop.ReconcileDueAt, (int)o.ReconcileInterval.TotalSeconds),
            recovered, shop.ApiDeprecatedReason, problem));
    }

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
}
