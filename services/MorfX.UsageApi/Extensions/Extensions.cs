using MorfX.UsageApi.Data;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;

namespace MorfX.UsageApi.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<UsageDbContext>(ResourceNames.UsageDb);
        builder.AddServiceBus(ResourceNames.UsageApi);
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
    }
}
