using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace MorfX.ServiceDefaults;

/// <summary>
/// RFC 7807 problem details, MorfX's way: every problem carries a stable machine `code` beside a Spanish
/// `detail`, and field errors as `errors: [{field, code, detail}]`.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, IReadOnlyList<FieldError>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (errors is { Count: > 0 }) extensions["errors"] = errors;
        return TypedResults.Problem(detail: detail, statusCode: status, title: TitleFor(status), extensions: extensions);
    }

    public static ProblemHttpResult Validation(IReadOnlyList<FieldError> errors) =>
        ProblemCode.ValidationFailed.With(
            errors.Count == 1 ? errors[0].Detail : Texts.InvalidFields(errors.Select(e => e.Detail)), errors);

    public static ProblemHttpResult NotFound(string detail = Texts.NotFound) => ProblemCode.NotFound.With(detail);

    static string TitleFor(int status) => status switch
    {
        400 => Texts.TitleBadRequest,
        401 => Texts.TitleUnauthorized,
        403 => Texts.TitleForbidden,
        404 => Texts.TitleNotFound,
        409 => Texts.TitleConflict,
        413 => Texts.TitlePayloadTooLarge,
        422 => Texts.TitleUnprocessable,
        429 => Texts.TitleTooManyRequests,
        502 => Texts.TitleBadGateway,
        503 => Texts.TitleServiceUnavailable,
        _ => Texts.TitleOther,
    };

    /// <summary>Codes and Spanish details for the answers the framework writes itself (401, 403, 404, 405, 500…).</summary>
    static (ProblemCode Code, string Detail) DefaultFor(int status) => status switch
    {
        400 => (ProblemCode.BadRequest, Texts.BadRequest),
        401 => (ProblemCode.Unauthorized, Texts.Unauthorized),
        403 => (ProblemCode.Forbidden, Texts.Forbidden),
        404 => (ProblemCode.NotFound, Texts.NotFound),
        405 => (ProblemCode.MethodNotAllowed, Texts.MethodNotAllowed),
        413 => (ProblemCode.PayloadTooLarge, Texts.PayloadTooLarge),
        415 => (ProblemCode.UnsupportedMediaType, Texts.UnsupportedMediaType),
        503 => (ProblemCode.ServiceUnavailable, Texts.ServiceUnavailable),
        _ => (ProblemCode.InternalError, Texts.InternalError),
    };

    internal static IServiceCollection AddMorfXProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            var status = problem.Status ?? ctx.HttpContext.Response.StatusCode;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var (code, detail) = DefaultFor(status);
                problem.Extensions["code"] = code.Code;
                problem.Detail ??= detail;
                problem.Title = TitleFor(status);
            }
            if (ctx.HttpContext.RequestServices.GetService<ProblemContract.Enforcement>() is not null)
                ProblemContract.Enforce(ctx.HttpContext, problem, status);
            problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    /// <summary>Unreadable bodies (malformed JSON, wrong types, too large) are the caller's fault: 400/413, not 500.</summary>
    sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad) return false;
            var (problem, detail) = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (ProblemCode.PayloadTooLarge, Texts.PayloadTooLarge)
                : (ProblemCode.InvalidBody, Texts.InvalidBody);
            var status = problem.Status;
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = status, Title = TitleFor(status), Detail = detail, Extensions = { ["code"] = problem.Code },
                },
            });
        }
    }
}
