using MorfX.ServiceDefaults;

namespace MorfX.UsageApi.Apis;

/// <summary>
/// Every problem usage-api's operations answer besides the shared ones (<see cref="ProblemCode"/>): handlers answer with these
/// and endpoints declare them, so the OpenAPI document cannot drift from the code. Spanish details are in Texts.
/// </summary>
public static class UsageProblems
{
    public static readonly ProblemCode InvalidPeriod = new(StatusCodes.Status400BadRequest, "invalid_period");
    public static readonly ProblemCode InvalidTimeZone = new(StatusCodes.Status400BadRequest, "invalid_timezone");
}
