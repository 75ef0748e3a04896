using Microsoft.AspNetCore.Builder;

namespace MorfX.ServiceDefaults;

public static class ServiceHost
{
    /// <summary>
    /// A service's builder options: its own assembly names the application (tests host several services in one process)
    /// and its output folder is the content root.
    /// </summary>
    public static WebApplicationOptions Options(string[] args, System.Reflection.Assembly service) => new()
    {
        Args = args,
        ApplicationName = service.GetName().Name,
        ContentRootPath = AppContext.BaseDirectory,
    };
}
