using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApi.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>GET /api/integrations: both integrations at a glance, with what the user still has to provide or fix.</summary>
public static class IntegrationsApi
{
    public static RouteGroupBuilder MapIntegrationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/integrations").WithTags("Integrations");
        api.MapGet("", GetSummary).RequireAuthorization(Policies.WorkspaceRead)
            .WithName("GetIntegrationsSummary").WithSummary("Twilio and Shopify: configured, status and what is missing");
        return api;
    }

    public static async Task<Ok<IntegrationsSummary>> GetSummary(ClaimsPrincipal user, ConfigDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var twilio = await db.TwilioIntegrations.FindAsync([workspaceId], ct);
        var shopify = await db.ShopifyIntegrations.FindAsync([workspaceId], ct);
        return TypedResults.Ok(new IntegrationsSummary(Twilio(twilio), Shopify(shopify)));
    }

    static IntegrationSummary Twilio(TwilioIntegration? twilio) => twilio switch
    {
        null => new(false, null, ["accountSid", "authToken", "phoneNumber"], Texts.TwilioMissing),
        { Status: IntegrationStatuses.Failing } => new(true, twilio.Status, ["authToken"], Texts.TwilioFailing),
        _ => new(true, twilio.Status, [], Texts.TwilioReady),
    };

    static IntegrationSummary Shopify(ShopifyIntegration? shop) => shop switch
    {
        null => new(false, null, ["shopDomain", "accessToken", "clientSecret"], Texts.ShopifyMissing),
        { Status: IntegrationStatuses.Failing } => new(true, shop.Status, ["webhooks"],
            shop.ErrorDetail ?? Texts.ShopifyFailing),
        { Status: IntegrationStatuses.NeedsAttention } => new(true, shop.Status, ["accessToken"], Texts.ShopifyNeedsAttention),
        _ => new(true, shop.Status, [], Texts.ShopifyReady),
    };
}
