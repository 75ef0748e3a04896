using MorfX.ConfigApi.Data;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;

namespace MorfX.ConfigApi.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ConfigDbContext>(ResourceNames.ConfigDb);
        builder.AddServiceBus(ResourceNames.ConfigApi);
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
    }
}
