using MorfX.SmsSender.Extensions;
using MorfX.ServiceDefaults;

namespace MorfX.SmsSender;

public static class SmsSenderApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        ServiceApp.Build(args, ResourceNames.SmsSender, typeof(SmsSenderApp).Assembly,
            b => b.AddApplicationServices(), a => a.MapApplicationEndpoints(), configure);
}
