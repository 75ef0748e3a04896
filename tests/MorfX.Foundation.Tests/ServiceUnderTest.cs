using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.AutomationEngine;
using MorfX.AutomationEngine.Data;
using MorfX.ConfigApi;
using MorfX.ConfigApi.Data;
using MorfX.ServiceDefaults;
using MorfX.SmsSender;
using MorfX.SmsSender.Data;
using MorfX.UsageApi;
using MorfX.UsageApi.Data;
using MorfX.WebhookIngest;
using MorfX.WebhookIngest.Data;

namespace MorfX.Foundation.Tests;

/// <summary>The five services, as the foundation tests see them: how to build one, its database, its DbContext.</summary>
public record ServiceUnderTest(
    string Name, Func<string[], Action<WebApplicationBuilder>?, WebApplication> Build, string Database, Type Context)
{
    public override string ToString() => Name;

    public static IEnumerable<ServiceUnderTest> All() =>
    [
        new(ResourceNames.WebhookIngest, MorfX.WebhookIngest.Program.Build, ResourceNames.IngestDb, typeof(IngestDbContext)),
        new(ResourceNames.AutomationEngine, MorfX.AutomationEngine.Program.Build, ResourceNames.EngineDb, typeof(EngineDbContext)),
        new(ResourceNames.SmsSender, MorfX.SmsSender.Program.Build, ResourceNames.SmsDb, typeof(SmsDbContext)),
        new(ResourceNames.ConfigApi, MorfX.ConfigApi.Program.Build, ResourceNames.ConfigDb, typeof(ConfigDbContext)),
        new(ResourceNames.UsageApi, MorfX.UsageApi.Program.Build, ResourceNames.UsageDb, typeof(UsageDbContext)),
    ];

    public DbContext CreateContext(IServiceProvider services) => (DbContext)services.CreateScope().ServiceProvider.GetRequiredService(Context);
}
