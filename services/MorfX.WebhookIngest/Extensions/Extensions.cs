using MorfX.WebhookIngest.Data;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;

namespace MorfX.WebhookIngest.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IngestDbContext>(ResourceNames.IngestDb);
        builder.AddServiceBus(ResourceNames.WebhookIngest);
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
    }
}
