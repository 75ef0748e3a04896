using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ConfigApi.Integrations;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi.Apis;

public static class IntegrationProblems
{
    /// <summary>The refusal as problem details: field errors as a validation problem, else its status, code and detail.</summary>
    public static ProblemHttpResult ToProblem(this IntegrationRefusal refusal) =>
        refusal.Errors is { } errors ? Problems.Validation(errors) : Problems.Of(refusal.Status, refusal.Code, refusal.Detail);
}
