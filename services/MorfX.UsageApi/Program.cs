using MorfX.Data;
using MorfX.ServiceDefaults;
using MorfX.UsageApi.Apis;
using MorfX.UsageApi.Extensions;

namespace MorfX.UsageApi;

/// <summary>
/// usage-api: what each workspace's SMS cost, from sms-sender's events.
/// The whole pipeline is in <see cref="Build"/>; tests build it in-process, on a free port, with their own settings.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(SchemaMigrator.MigrateOnly)) return await SchemaMigrator.MigrateOnlyAsync(args, ResourceNames.UsageDb, typeof(Program).Assembly);
        await Build(args).RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options(args, typeof(Program).Assembly));
        configure?.Invoke(builder);
        builder.AddServiceDefaults(ResourceNames.UsageApi);
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapSmsUsageApi();
        return app;
    }
}
