using MorfX.WebhookIngest.Extensions;
using MorfX.ServiceDefaults;

namespace MorfX.WebhookIngest;

public static class WebhookIngestApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        ServiceApp.Build(args, ResourceNames.WebhookIngest, typeof(WebhookIngestApp).Assembly,
            b => b.AddApplicationServices(), a => a.MapApplicationEndpoints(), configure);
}
