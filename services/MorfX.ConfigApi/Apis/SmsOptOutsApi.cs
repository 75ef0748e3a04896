using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.Contracts;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>
/// Numbers that opted out of the workspace's SMS (a STOP/SALIR reply, or Twilio's 21610): owner and admin list them (masked)
/// and lift one. sms-sender owns them; config-api asks it by request/response over the broker (ListSmsOptOuts,
/// LiftSmsOptOut) and never reads its database.
/// </summary>
public static partial class SmsOptOutsApi
{
    public static RouteGroupBuilder MapSmsOptOutsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/integrations/twilio/opt-outs").WithTags("Twilio").RequireAuthorization(Policies.IntegrationsWrite);
        api.MapGet("", ListAsync).WithName("ListSmsOptOuts").WithSummary("Opted-out numbers of the workspace, masked")
            .ProducesProblems(ConfigProblems.SmsSenderUnavailable);
        api.MapDelete("/{optOutId:guid}", LiftAsync).WithName("LiftSmsOptOut").WithSummary("Lets the workspace text this number again")
            .ProducesProblems(ConfigProblems.OptOutNotFound, ConfigProblems.SmsSenderUnavailable);
        return api;
    }

    public static async Task<Results<Ok<SmsOptOutList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IRequestClient<ListSmsOptOuts> smsSender, ILoggerFactory logs, CancellationToken ct)
    {
        try
        {
            var response = await smsSender.GetResponse<SmsOptOutList>(new ListSmsOptOuts(user.WorkspaceIdOf()), ct);
            return TypedResults.Ok(response.Message);
        }
        catch (Exception e) when (e is RequestTimeoutException or RequestFaultException)
        {
            return Unavailable(logs, e);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LiftAsync(
        Guid optOutId, ClaimsPrincipal user, IRequestClient<LiftSmsOptOut> smsSender, ILoggerFactory logs, CancellationToken ct)
    {
        try
        {
            var response = await smsSender.GetResponse<SmsOptOutLifted>(new LiftSmsOptOut(user.WorkspaceIdOf(), optOutId), ct);
            return response.Message.Found
                ? TypedResults.NoContent()
                : ConfigProblems.OptOutNotFound.With(Texts.OptOutNotFound);
        }
        catch (Exception e) when (e is RequestTimeoutException or RequestFaultException)
        {
            return Unavailable(logs, e);
        }
    }

    static ProblemHttpResult Unavailable(ILoggerFactory logs, Exception e)
    {
        LogUnavailable(logs.CreateLogger(typeof(SmsOptOutsApi)), e);
        return ConfigProblems.SmsSenderUnavailable.With(Texts.SmsSenderNotAnswering);
    }

    [LoggerMessage(4101, LogLevel.Warning, "sms-sender did not answer an opt-out request")]
    static partial void LogUnavailable(ILogger logger, Exception exception);
}
