namespace MorfX.TwilioEmulator;

/// <summary>How a create answers under a <see cref="Scenario"/> once the message exists (see the README's "Hard cases").</summary>
public static class Scenarios
{
    public const string Slow = "slow";
    public const string ErrorAfterCreate = "error-after-create";
    public const string ResetAfterCreate = "reset-after-create";
    public const string Unsubscribed = "unsubscribed";
    public const string ErrorBeforeCreate = "error-before-create";
    public const string ResetBeforeCreate = "reset-before-create";
    public static readonly string[] Kinds = [Slow, ErrorAfterCreate, ResetAfterCreate, Unsubscribed, ErrorBeforeCreate, ResetBeforeCreate];
    public static readonly string[] CallbackModes = ["lost", "duplicated", "reordered"];

    /// <summary>The status the call is recorded with, and the answer (null: the normal 201).</summary>
    public static async Task<(int Status, IResult? Answer)> AnswerAsync(Scenario? scenario, EmulatedMessage message, HttpContext http)
    {
        switch (scenario?.Kind)
        {
            case Slow:
                // Twilio has the message; only its answer is late. A client that gives up first leaves it created.
                try { await Task.Delay(scenario.DelayMs, http.RequestAborted); }
                catch (OperationCanceledException) { return (0, Results.Empty); }
                return (201, null);
            case ErrorAfterCreate when scenario.Status == 502:
                return (502, Results.Content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", statusCode: 502));
            case ErrorAfterCreate:
                return (scenario.Status, ServerError(scenario.Status));
            case ResetAfterCreate:
                http.Abort();
                return (0, Results.Empty);
            default:
                return (201, null);
        }
    }

    /// <summary>Twilio's error body for a refused or failed create: 429 → 20429, 503 → 20503, any other 5xx → 20500.</summary>
    public static IResult ServerError(int status) => status switch
    {
        429 => TwilioApi.Error(429, 20429, "Too Many Requests"),
        503 => TwilioApi.Error(503, 20503, "Service Unavailable"),
        _ => TwilioApi.Error(status, 20500, "An internal server error has occurred"),
    };
}
