using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace MorfX.ServiceDefaults;

/// <summary>A field that failed validation: a stable code and a Spanish explanation.</summary>
public record FieldError(string Field, string Code, string Detail);

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
        Of(StatusCodes.Status400BadRequest, "validation_failed",
            errors.Count == 1 ? errors[0].Detail : "La solicitud tiene campos inválidos: " + string.Join("; ", errors.Select(e => e.Detail)),
            errors);

    public static ProblemHttpResult NotFound(string detail = "El recurso no existe.") =>
        Of(StatusCodes.Status404NotFound, "not_found", detail);

    static string TitleFor(int status) => status switch
    {
        400 => "Solicitud inválida",
        401 => "No autenticado",
        403 => "Sin permiso",
        404 => "No encontrado",
        409 => "Conflicto",
        413 => "Contenido demasiado grande",
        422 => "Solicitud no procesable",
        429 => "Demasiadas solicitudes",
        502 => "Error del servicio externo",
        503 => "Servicio no disponible",
        _ => "Error",
    };

    /// <summary>Codes and Spanish details for the answers the framework writes itself (401, 403, 404, 405, 500…).</summary>
    static (string Code, string Detail) DefaultFor(int status) => status switch
    {
        400 => ("bad_request", "La solicitud no es válida."),
        401 => ("unauthorized", "Falta el token de acceso o no es válido."),
        403 => ("forbidden", "Tu rol no permite esta acción."),
        404 => ("not_found", "El recurso no existe."),
        405 => ("method_not_allowed", "El método HTTP no está permitido aquí."),
        413 => ("payload_too_large", "El cuerpo de la solicitud es demasiado grande."),
        415 => ("unsupported_media_type", "El tipo de contenido no es compatible."),
        503 => ("service_unavailable", "El servicio no está disponible; intenta de nuevo en unos segundos."),
        _ => ("internal_error", "Ocurrio un error inesperado; ya quedo registrado."),
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
                problem.Extensions["code"] = code;
                problem.Detail ??= detail;
                problem.Title = TitleFor(status);
            }
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
            var (status, code, detail) = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (413, "payload_too_large", "El cuerpo de la solicitud es demasiado grande.")
                : (400, "invalid_body", "El cuerpo de la solicitud no es JSON válido o tiene tipos incorrectos.");
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = status, Title = TitleFor(status), Detail = detail, Extensions = { ["code"] = code },
                },
            });
        }
    }
}
