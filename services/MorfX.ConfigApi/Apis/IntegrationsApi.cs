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
        null => new(false, null, ["accountSid", "authToken", "phoneNumber"],
            "Falta configurar Twilio: ingresa el Account SID, el Auth Token y el número para enviar SMS."),
        { Status: IntegrationStatuses.Failing } => new(true, twilio.Status, ["authToken"],
            "Twilio rechazó las credenciales: revisa el Account SID y el Auth Token y guarda de nuevo."),
        _ => new(true, twilio.Status, [], "Twilio está configurado."),
    };

    static IntegrationSummary Shopify(ShopifyIntegration? shop) => shop switch
    {
        null => new(false, null, ["shopDomain", "accessToken", "clientSecret"],
            "Falta conectar Shopify: ingresa el dominio de la tienda, el access token y el client secret."),
        { Status: IntegrationStatuses.Failing } => new(true, shop.Status, ["webhooks"],
            shop.ErrorDetail ?? "Los webhooks de Shopify no están activos: revisa la configuración y guarda de nuevo."),
        _ => new(true, shop.Status, [], "Shopify está conectado."),
    };
}
