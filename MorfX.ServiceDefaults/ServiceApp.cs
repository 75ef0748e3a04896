using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MorfX.ServiceDefaults.Data;

namespace MorfX.ServiceDefaults;

/// <summary>The one way a MorfX service is built, by its Program and by the tests (which start it on a free port).</summary>
public static class ServiceApp
{
    public const string MigrateOnly = "--migrate-only";

    /// <summary>
    /// A service's entry point: runs it, or with --migrate-only (the cluster's migration Job) applies its schema
    /// migrations and exits, needing nothing but the database's connection string.
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args, string databaseName, Assembly serviceAssembly, Func<string[], Action<WebApplicationBuilder>?, WebApplication> build)
    {
        if (!args.Contains(MigrateOnly))
        {
            await build(args, null).RunAsync();
            return 0;
        }
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a != MigrateOnly).ToArray())
            .Build();
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole());
        await new SchemaMigrator(configuration.RequireConnectionString(databaseName), serviceAssembly, logging.CreateLogger<SchemaMigrator>())
            .StartAsync(CancellationToken.None);
        return 0;
    }

    public static WebApplication Build(
        string[] args,
        string serviceName,
        Assembly serviceAssembly,
        Action<WebApplicationBuilder> addServices,
        Action<WebApplication> mapEndpoints,
        Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = serviceAssembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.AddServiceDefaults(serviceName);
        addServices(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapEndpoints(app);
        return app;
    }
}
