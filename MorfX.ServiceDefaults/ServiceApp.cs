using System.Reflection;
using Microsoft.AspNetCore.Builder;

namespace MorfX.ServiceDefaults;

/// <summary>The one way a MorfX service is built, by its Program and by the tests (which start it on a free port).</summary>
public static class ServiceApp
{
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
