using MorfX.UsageApi.Extensions;
using MorfX.ServiceDefaults;

namespace MorfX.UsageApi;

public static class UsageApiApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        ServiceApp.Build(args, ResourceNames.UsageApi, typeof(UsageApiApp).Assembly,
            b => b.AddApplicationServices(), a => a.MapApplicationEndpoints(), configure);
}
