using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApi.Messaging;
using MorfX.Rules;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

/// <summary>The workspace's messaging settings (see <see cref="MessagingSettingsStore"/>): the default marketing window and the marketing frequency cap.</summary>
public static class MessagingSettingsApi
{
    public static RouteGroupBuilder MapMessagingSettingsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/settings/messaging").WithTags("Settings");
        api.MapGet("", GetMessaging).RequireAuthorization(Policies.WorkspaceRead)
            .WithName("GetMessagingSettings").WithSummary("The workspace's marketing send window and frequency cap (the defaults until saved)");
        api.MapPut("", SaveMessaging).RequireAuthorization(Policies.IntegrationsWrite)
            .WithName("SaveMessagingSettings").WithSummary("Saves the marketing send window and the frequency cap (null turns it off)")
            .WithDescription(SaveDescription).WithRequestExample(RequestBodies.Messaging)
            .ProducesProblems(ProblemCode.ValidationFailed, ConfigProblems.ConcurrentUpdate);
        return api;
    }

    // The frontend maps these codes to its fields; the Spanish detail of each is ready to show.
    const string SaveDescription =
        "400 `validation_failed` with `errors: [{field, code, detail}]`: `marketingWindow` `required`; `marketingWindow.start` " +
        $"`{WeeklyWindow.Codes.InvalidStart}`; `marketingWindow.end` `{WeeklyWindow.Codes.InvalidEnd}` or `{WeeklyWindow.Codes.EmptyWindow}`; " +
        $"`marketingWindow.days` `{WeeklyWindow.Codes.InvalidDays}`; `marketingFrequencyCap.maxMessages` (1-100) and " +
        $"`marketingFrequencyCap.periodDays` (1-90) `{MessagingValidation.InvalidFrequencyCap}`. 409 `concurrent_update`: two first saves at once.";

    public static async Task<Ok<MessagingSettings>> GetMessaging(ClaimsPrincipal user, MessagingSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.FindAsync(user.WorkspaceIdOf(), ct));

    public static async Task<Results<Ok<MessagingSettings>, ProblemHttpResult>> SaveMessaging(
        MessagingSettingsRequest request, ClaimsPrincipal user, MessagingSettingsStore store, CancellationToken ct)
    {
        var (settings, refusal) = await store.SaveAsync(user.WorkspaceIdOf(), request, ct);
        return settings is null ? refusal!.ToProblem() : TypedResults.Ok(settings);
    }
}
