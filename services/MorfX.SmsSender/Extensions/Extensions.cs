using MorfX.SmsSender.Data;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;

namespace MorfX.SmsSender.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SmsDbContext>(ResourceNames.SmsDb);
        builder.AddServiceBus(ResourceNames.SmsSender);
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
    }
}
