namespace MorfX.ShopifyEmulator;

/// <summary>
/// The Shopify emulator: the Admin GraphQL API's webhook-subscription calls (/admin/api/{version}/graphql.json)
/// and signed webhook deliveries on demand (/_emulator/deliveries), so tests and demos run without a real store.
/// Listens on http://127.0.0.1:5181 unless told otherwise (--urls, ASPNETCORE_URLS, or a test's configure).
/// Emulator:AutoRegisterShops=true (demo mode) gives an unknown access token to the shop its first call names.
/// </summary>
public static class ShopifyEmulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:5181";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ShopifyEmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        configure?.Invoke(builder);

        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.AddSingleton(new ShopifyEmulatorOptions(builder.Configuration.GetValue("Emulator:AutoRegisterShops", false)));
        builder.Services.AddHttpClient(Deliveries.HttpClientName, c => c.Timeout = Deliveries.ShopifyTimeout);

        var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapAdminGraphQl();
        app.MapEmulatorControl();
        return app;
    }
}

/// <summary>AutoRegisterShops: demo mode, where the token typed into the integrations page belongs to the shop typed beside it.</summary>
public sealed record ShopifyEmulatorOptions(bool AutoRegisterShops);
