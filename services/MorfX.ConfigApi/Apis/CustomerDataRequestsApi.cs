using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MorfX.ConfigApi.Data;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// Shopify's customers/data_request, for the workspace's owner or admin: the requests received, and for each what
/// every service reported holding about that customer (the CRM copy, run history, messages), to hand to the customer.
/// </summary>
public static class CustomerDataRequestsApi
{
    public static RouteGroupBuilder MapCustomerDataRequestsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/integrations/shopify/data-requests").WithTags("Shopify")
            .RequireAuthorization(Policies.IntegrationsWrite);
        api.MapGet("", ListAsync).WithName("ListCustomerDataRequests")
            .WithSummary("Customer data requests received from Shopify (customers/data_request), newest first");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetCustomerDataRequest")
            .WithSummary("What MorfX holds about a data request's customer, by service").ProducesProblems(ProblemCode.NotFound);
        return api;
    }

    static async Task<Ok<List<CustomerDataRequestSummary>>> ListAsync(ClaimsPrincipal user, ConfigDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var requests = await db.CustomerDataRequests.AsNoTracking().Where(r => r.WorkspaceId == workspaceId)
            .OrderByDescending(r => r.RequestedAt).Take(100).ToListAsync(ct);
        var ids = requests.Select(r => r.RequestId).ToList();
        var services = await db.CustomerDataReports.AsNoTracking().Where(r => ids.Contains(r.RequestId))
            .Select(r => new { r.RequestId, r.Service }).ToListAsync(ct);
        return TypedResults.Ok(requests.Select(r => Summary(r, services.Where(s => s.RequestId == r.RequestId).Select(s => s.Service))).ToList());
    }

    static async Task<Results<Ok<CustomerDataRequestDetail>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, ConfigDbContext db, CancellationToken ct)
    {
        var workspaceId = user.WorkspaceIdOf();
        var request = await db.CustomerDataRequests.AsNoTracking().FirstOrDefaultAsync(r => r.RequestId == id && r.WorkspaceId == workspaceId, ct);
        if (request is null) return Problems.NotFound(Texts.DataRequestNotFound);
        var reports = await db.CustomerDataReports.AsNoTracking()
            .Where(r => r.RequestId == id && r.WorkspaceId == workspaceId).OrderBy(r => r.Service).ToListAsync(ct);
        return TypedResults.Ok(new CustomerDataRequestDetail(Summary(request, reports.Select(r => r.Service)),
            reports.ToDictionary(r => r.Service, r => JsonDocument.Parse(r.Data).RootElement.Clone())));
    }

    static CustomerDataRequestSummary Summary(CustomerDataRequest r, IEnumerable<string> reportedBy) =>
        new(r.RequestId, r.ShopDomain, r.ShopifyRequestId, r.CustomerId, r.CustomerEmail, r.CustomerPhone, r.OrdersRequested,
            r.RequestedAt, [.. reportedBy]);
}
