using MorfX.Data;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Extensions;

namespace MorfX.SmsSender;

/// <summary>
/// sms-sender: each requested SMS sent exactly once through the workspace's Twilio account, its statuses and its price.
/// The whole pipeline is in <see cref="Build"/>; tests build it in-process, on a free port, with their own settings.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(SchemaMigrator.MigrateOnly)) return await SchemaMigrator.MigrateOnlyAsync(args, ResourceNames.SmsDb, typeof(Program).Assembly);
        await Build(args).RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options(args, typeof(Program).Assembly));
        configure?.Invoke(builder);
        builder.AddServiceDefaults(ResourceNames.SmsSender);
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        return app;
    }
}
