using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace MorfX.ServiceDefaults;

/// <summary>
/// Service-to-service routes that must not share the public port: when Internal:Port is configured (the AppHost's
/// "internal" endpoint, the cluster's second container port) they answer only on that port, and elsewhere as if they did
/// not exist. The check is on the socket's local port, not the Host header, which any caller can forge. Without
/// Internal:Port (in-process tests) they answer on every port, still behind their own key.
/// </summary>
public static class InternalEndpoint
{
    public const string PortKey = "Internal:Port";

    public static TBuilder OnlyOnInternalPort<TBuilder>(this TBuilder builder, IConfiguration configuration)
        where TBuilder : IEndpointConventionBuilder
    {
        if (configuration.GetValue<int?>(PortKey) is not { } port) return builder;
        builder.AddEndpointFilter(async (context, next) => context.HttpContext.Connection.LocalPort == port
            ? await next(context)
            : Problems.NotFound());
        return builder;
    }
}
