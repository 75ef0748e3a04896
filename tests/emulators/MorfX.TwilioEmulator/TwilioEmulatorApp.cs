namespace MorfX.TwilioEmulator;

/// <summary>
/// Builds the Twilio emulator. Listens on http://127.0.0.1:5180 unless urls / ASPNETCORE_URLS say otherwise.
/// Settings (all optional): Emulator:CallbacksEnabled (true), Emulator:CallbackDelayMs (300),
/// Emulator:PriceDelayMs (2000; negative = never, only POST /_emulator/prices), Emulator:AutoRegisterAccounts (false).
/// </summary>
public static class TwilioEmulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:5180";

    /// <summary>At most this many status callbacks in flight to one host.</summary>
    public const int CallbackConnections = 32;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(TwilioEmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        configure?.Invoke(builder);

        builder.Services.AddSingleton(sp => EmulatorOptions.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<EmulatorStore>();
        builder.Services.AddSingleton<MessageLifecycle>();
        // Cheap at a thousand creates a second on a shared machine: no log line per request or per callback at Information,
        // and callbacks over a bounded pool of kept-alive connections (the rest wait their turn, as Twilio's queue would).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddHttpClient(MessageLifecycle.CallbackClient, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                MaxConnectionsPerServer = CallbackConnections,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });

        var app = builder.Build();
        app.MapTwilioApi();
        app.MapControlApi();
        return app;
    }
}

public sealed record EmulatorOptions(bool CallbacksEnabled, int CallbackDelayMs, int PriceDelayMs, bool AutoRegisterAccounts)
{
    public static EmulatorOptions From(IConfiguration config) => new(
        config.GetValue("Emulator:CallbacksEnabled", true),
        config.GetValue("Emulator:CallbackDelayMs", 300),
        config.GetValue("Emulator:PriceDelayMs", 2000),
        config.GetValue("Emulator:AutoRegisterAccounts", false));
}
