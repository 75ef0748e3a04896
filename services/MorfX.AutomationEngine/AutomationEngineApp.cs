using MorfX.AutomationEngine.Extensions;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine;

public static class AutomationEngineApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        ServiceApp.Build(args, ResourceNames.AutomationEngine, typeof(AutomationEngineApp).Assembly,
            b => b.AddApplicationServices(), a => a.MapApplicationEndpoints(), configure);
}
