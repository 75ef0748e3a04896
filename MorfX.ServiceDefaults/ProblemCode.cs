using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MorfX.ServiceDefaults;

/// <summary>
/// One problem an operation can answer: its HTTP status and stable `code`. Each service keeps its own in one catalog; handlers
/// answer with them and endpoints declare them (<see cref="ProblemContract.ProducesProblems"/>), so the OpenAPI document lists
/// what the code returns. The ones here are shared: the framework and the shared defaults write them.
/// </summary>
public sealed record ProblemCode(int Status, string Code)
{
    /// <summary>This problem with its Spanish detail (and the field errors of a refused form).</summary>
    public ProblemHttpResult With(string detail, IReadOnlyList<FieldError>? errors = null) => Problems.Of(Status, Code, detail, errors);

    public static readonly ProblemCode ValidationFailed = new(StatusCodes.Status400BadRequest, "validation_failed");
    public static readonly ProblemCode BadRequest = new(StatusCodes.Status400BadRequest, "bad_request");
    public static readonly ProblemCode InvalidBody = new(StatusCodes.Status400BadRequest, "invalid_body");
    public static readonly ProblemCode Unauthorized = new(StatusCodes.Status401Unauthorized, "unauthorized");
    public static readonly ProblemCode Forbidden = new(StatusCodes.Status403Forbidden, "forbidden");
    public static readonly ProblemCode NotFound = new(StatusCodes.Status404NotFound, "not_found");
    public static readonly ProblemCode MethodNotAllowed = new(StatusCodes.Status405MethodNotAllowed, "method_not_allowed");
    public static readonly ProblemCode PayloadTooLarge = new(StatusCodes.Status413PayloadTooLarge, "payload_too_large");
    public static readonly ProblemCode UnsupportedMediaType = new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
    public static readonly ProblemCode RateLimited = new(StatusCodes.Status429TooManyRequests, "rate_limited");
    public static readonly ProblemCode InternalError = new(StatusCodes.Status500InternalServerError, "internal_error");
    public static readonly ProblemCode ServiceUnavailable = new(StatusCodes.Status503ServiceUnavailable, "service_unavailable");
}
