using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Extensions;
using MorfX.Data;
using MorfX.ServiceDefaults;

namespace MorfX.AutomationEngine;

/// <summary>
/// automation-engine: the automations, their runs, the CRM store and the AI builder.
/// The whole pipeline is in <see cref="Build"/>; tests build it in-process, on a free port, with their own settings.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(SchemaMigrator.MigrateOnly)) return await SchemaMigrator.MigrateOnlyAsync(args, ResourceNames.EngineDb, typeof(Program).Assembly);
        await Build(args).RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options(args, typeof(Program).Assembly));
        configure?.Invoke(builder);
        builder.AddServiceDefaults(ResourceNames.AutomationEngine);
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapCatalogApi();
        app.MapAutomationsApi();
        app.MapBuilderApi();
        return app;
    }
}
