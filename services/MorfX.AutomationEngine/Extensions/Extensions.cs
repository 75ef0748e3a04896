using MorfX.AutomationEngine.Data;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;

namespace MorfX.AutomationEngine.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<EngineDbContext>(ResourceNames.EngineDb);
        builder.AddServiceBus(ResourceNames.AutomationEngine);
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
    }
}
