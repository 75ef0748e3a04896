namespace MorfX.WebhookIngest.Apis;

public static class RefusalLimitExtensions
{
    /// <summary>Puts the route under the one <see cref="RefusalLimit"/> every anonymous webhook route shares.</summary>
    public static RouteHandlerBuilder LimitRefusals(this RouteHandlerBuilder route) =>
        route.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<RefusalLimit>().InvokeAsync(context, next));
}
