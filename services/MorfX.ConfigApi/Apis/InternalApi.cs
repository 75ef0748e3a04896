using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// Secret look-ups for the other services (the contract of MorfX.ConfigApiClient). No JWT: the
/// caller proves itself with X-Internal-Key = Internal:ServiceKey. Left out of the OpenAPI document; they answer only on
/// the internal endpoint (Internal:Port), which the AppHost keeps non-external and the cluster's Ingress does not route.
/// </summary>
public static partial class InternalApi
{
    public static RouteGroupBuilder MapInternalApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/internal").AllowAnonymous().ExcludeFromDescription()
            .OnlyOnInternalPort(routes.ServiceProvider.GetRequiredService<IConfiguration>())
            .AddEndpointFilter<InternalKeyFilter>();
        api.MapGet("/twilio/{workspaceId:guid}", GetTwilio);
        api.MapGet("/shopify/shops/{shopDomain}", GetShopifyShop);
        api.MapGet("/integration-changes", GetIntegrationChanges);
        api.MapGet("/integration-keys", GetIntegrationKeys);
        return api;
    }

    /// <summary>Changes per page of the feed.</summary>
    public const int ChangesPageSize = 500;

    /// <summary>
    /// The change feed every look-up cache polls (<see cref="IntegrationChangeFeed"/>): the changes after
    /// <paramref name="after"/>, oldest first. An idle read (nothing new) is one query of a one-row table.
    /// </summary>
    public static async Task<Ok<IntegrationChangePage>> GetIntegrationChanges(long? after, ConfigDbContext db, CancellationToken ct)
    {
        var head = await db.IntegrationChangeCounter.AsNoTracking().Select(c => c.Last).SingleAsync(ct);
        if (after == head) return TypedResults.Ok(new IntegrationChangePage(head, false, []));
        if (after < head)
        {
            var changes = await db.IntegrationChanges.AsNoTracking().Where(c => c.Seq > after).OrderBy(c => c.Seq).Take(ChangesPageSize)
                .Select(c => new IntegrationChangeEntry(c.Seq, c.WorkspaceId, c.Integration, c.ShopDomain)).ToListAsync(ct);
            // Numbers have no gaps (IntegrationChange): a first one past after + 1 means retention deleted what the reader missed.
            if (changes.Count > 0 && changes[0].Seq == after + 1) return TypedResults.Ok(new IntegrationChangePage(head, false, changes));
        }
        // A first read, a reader further behind than the feed keeps, or one ahead of a restored database.
        return TypedResults.Ok(new IntegrationChangePage(head, true, []));
    }

    /// <summary>
    /// Every key the look-up caches may ask about, read by each after its change feed starts over: the anonymous webhooks refuse
    /// any other shop or workspace without asking (decision 0038). Removed shops still kept for compliance webhooks included.
    /// </summary>
    public static async Task<Ok<IntegrationKeys>> GetIntegrationKeys(ConfigDbContext db, CancellationToken ct)
    {
        var shops = await db.ShopifyIntegrations.AsNoTracking().Select(s => s.ShopDomain)
            .Union(db.ShopifySecretTombstones.AsNoTracking().Select(t => t.ShopDomain)).ToListAsync(ct);
        var twilio = await db.TwilioIntegrations.AsNoTracking().Select(t => t.WorkspaceId).ToListAsync(ct);
        return TypedResults.Ok(new IntegrationKeys(shops, twilio));
    }

    public static async Task<Results<Ok<TwilioCredentials>, ProblemHttpResult>> GetTwilio(
        Guid workspaceId, ConfigDbContext db, SecretProtector secrets, CancellationToken ct)
    {
        var twilio = await db.TwilioIntegrations.AsNoTracking().FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId, ct);
        if (twilio is null) return Problems.NotFound(Texts.InternalTwilioNotConfigured);
        return TypedResults.Ok(new TwilioCredentials(
            twilio.WorkspaceId, twilio.AccountSid, secrets.Unprotect(twilio.WorkspaceId, twilio.AuthTokenProtected), twilio.PhoneNumber, twilio.Status));
    }

    public static async Task<Results<Ok<ShopifyShop>, ProblemHttpResult>> GetShopifyShop(
        string shopDomain, ConfigDbContext db, SecretProtector secrets, CancellationToken ct)
    {
        var domain = shopDomain.Trim().ToLowerInvariant();
        var shop = await db.ShopifyIntegrations.AsNoTracking().FirstOrDefaultAsync(s => s.ShopDomain == domain, ct);
        if (shop is null)
        {
            // A removed shop answers with status removed and its kept secrets: webhook-ingest verifies its compliance webhooks
            // (shop/redact comes 48 h after the uninstall) and refuses every other topic.
            var removed = await db.ShopifySecretTombstones.AsNoTracking().FirstOrDefaultAsync(t => t.ShopDomain == domain, ct);
            if (removed is null) return Problems.NotFound(Texts.InternalShopNotConnected);
            return TypedResults.Ok(new ShopifyShop(
                removed.WorkspaceId, removed.ShopDomain, IntegrationStatuses.Removed,
                secrets.Unprotect(removed.WorkspaceId, removed.ClientSecretProtected),
                removed.PreviousClientSecretProtected is { } kept ? secrets.Unprotect(removed.WorkspaceId, kept) : null,
                removed.DefaultCountry, AutoSyncOrders: false));
        }
        return TypedResults.Ok(new ShopifyShop(
            shop.WorkspaceId, shop.ShopDomain, shop.Status,
            secrets.Unprotect(shop.WorkspaceId, shop.ClientSecretProtected),
            shop.PreviousClientSecretProtected is { } previous ? secrets.Unprotect(shop.WorkspaceId, previous) : null,
            shop.DefaultCountry, shop.AutoSyncOrders)
        { ConnectedAt = shop.ConnectedAt });
    }

    /// <summary>Refuses callers without the internal key; compares hashes so neither content nor length leaks through timing.</summary>
    sealed partial class InternalKeyFilter(IConfiguration config, ILogger<InternalKeyFilter> logger) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var expected = config["Internal:ServiceKey"];
            var given = context.HttpContext.Request.Headers[ConfigApiInternalClient.InternalKeyHeader].ToString();
            if (string.IsNullOrEmpty(expected)) LogKeyNotConfigured();
            else if (given.Length > 0 && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
                return await next(context);
            return Problems.Of(StatusCodes.Status401Unauthorized, "invalid_internal_key", Texts.InvalidInternalKey);
        }

        [LoggerMessage(6001, LogLevel.Error, "Internal:ServiceKey is not configured: every internal look-up is refused")]
        partial void LogKeyNotConfigured();
    }
}
