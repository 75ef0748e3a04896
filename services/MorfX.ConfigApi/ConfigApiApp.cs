using MorfX.ConfigApi.Extensions;
using MorfX.ServiceDefaults;

namespace MorfX.ConfigApi;

public static class ConfigApiApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        ServiceApp.Build(args, ResourceNames.ConfigApi, typeof(ConfigApiApp).Assembly,
            b => b.AddApplicationServices(), a => a.MapApplicationEndpoints(), configure);
}
