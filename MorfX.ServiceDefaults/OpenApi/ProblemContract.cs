using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Which problems an operation can answer: what its handler declares with <see cref="ProducesProblems"/>, plus what the framework
/// answers around it (401/403 unless anonymous, unreadable or oversized bodies, the rate limiter, 500). The OpenAPI document
/// (<see cref="ProblemResponsesTransformer"/>) and the check that fails a test on an undeclared answer both read this.
/// </summary>
public static class ProblemContract
{
    /// <summary>Declares the problems this endpoint's handler can answer, from its service's catalog.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params IEnumerable<ProblemCode> codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DeclaredProblems([.. codes]));

    public static IReadOnlyList<ProblemCode> Of(IEnumerable<object> metadata)
    {
        var codes = metadata.OfType<DeclaredProblems>().SelectMany(d => d.Codes).ToList();
        if (!metadata.OfType<IAllowAnonymous>().Any())
            codes.AddRange([ProblemCode.Unauthorized, ProblemCode.Forbidden]);
        if (metadata.OfType<IAcceptsMetadata>().Any())
            codes.AddRange([ProblemCode.BadRequest, ProblemCode.InvalidBody, ProblemCode.PayloadTooLarge, ProblemCode.UnsupportedMediaType]);
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
            codes.Add(ProblemCode.RateLimited);
        codes.Add(ProblemCode.InternalError);
        return [.. codes.Distinct().OrderBy(c => c.Status).ThenBy(c => c.Code, StringComparer.Ordinal)];
    }

    /// <summary>Registered by the test hosts only (<see cref="EnforceDeclaredProblems"/>): turns on <see cref="Enforce"/>.</summary>
    public sealed class Enforcement;

    /// <summary>Tests: every problem an operation answers must be one it declares, or the test that drove it fails.</summary>
    public static IServiceCollection EnforceDeclaredProblems(this IServiceCollection services) => services.AddSingleton<Enforcement>();

    /// <summary>
    /// A problem the operation does not declare becomes a 500 `undeclared_problem` that names it, so the test that drove it
    /// fails. Endpoints outside the document (internal, health, the router's 405) are not operations.
    /// </summary>
    internal static void Enforce(HttpContext http, Microsoft.AspNetCore.Mvc.ProblemDetails problem, int status)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IHttpMethodMetadata>() is null
            || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }) return;
        var code = problem.Extensions.TryGetValue("code", out var value) ? value?.ToString() : null;
        if (Of(endpoint.Metadata).Contains(new ProblemCode(status, code ?? ""))) return;
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        problem.Status = StatusCodes.Status500InternalServerError;
        problem.Title = "Error";
        problem.Extensions["code"] = "undeclared_problem";
        problem.Detail = $"{endpoint.DisplayName} answered {status} `{code}`, which it does not declare: add it to ProducesProblems.";
    }
}

/// <summary>Endpoint metadata: the problems its handler can answer.</summary>
public sealed record DeclaredProblems(IReadOnlyList<ProblemCode> Codes);
