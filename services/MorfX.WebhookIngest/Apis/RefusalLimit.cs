using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// The per-source limit on the anonymous webhook routes (decision 0038): a source that caused
/// <see cref="RefusalLimitOptions.PerSource"/> refusals (401/403) within the window is answered 429 <c>too_many_refusals</c>
/// before its body is read or anything looked up. Only refusals spend the budget, so a vendor's signed deliveries, however
/// many, never do.
/// </summary>
public sealed class RefusalLimit : IEndpointFilter, IDisposable
{
    readonly RefusalLimitOptions _options;
    readonly WebhookMetrics _metrics;
    readonly PartitionedRateLimiter<string> _refusals;

    public RefusalLimit(RefusalLimitOptions options, WebhookMetrics metrics)
    {
        (_options, _metrics) = (options, metrics);
        _refusals = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetFixedWindowLimiter(source, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = options.PerSource, Window = options.Window, QueueLimit = 0 }));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var source = SourceOf(http);
        // Asking for no permit only tells whether any is left.
        using (var left = _refusals.AttemptAcquire(source, 0))
            if (!left.IsAcquired)
            {
                _metrics.Rejected("anonymous", IngestProblems.TooManyRefusals.Code);
                http.Response.Headers.RetryAfter = _options.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return IngestProblems.TooManyRefusals.With(Texts.TooManyRefusals);
            }
        var result = await next(context);
        if (StatusOf(result) is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            _refusals.AttemptAcquire(source, 1).Dispose();
        return result;
    }

    string SourceOf(HttpContext http)
    {
        if (_options.UseForwardedFor && http.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
            return forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
        return http.Connection.RemoteIpAddress?.ToString() ?? "";
    }

    static int? StatusOf(object? result) => (result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult s ? s.StatusCode : null;

    public void Dispose() => _refusals.Dispose();
}
