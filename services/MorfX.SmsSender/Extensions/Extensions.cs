using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Data;
using MorfX.ServiceDefaults.Integrations;
using MorfX.SmsSender.Consumers;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Pricing;
using MorfX.SmsSender.Sending;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SmsDbContext>(ResourceNames.SmsDb);
        builder.AddIntegrationLookup();
        builder.AddTwilioClient();

        builder.Services.AddSingleton(SmsSenderSettings.From(builder.Configuration));
        builder.Services.AddSingleton(PricingSettings.From(builder.Configuration));
        builder.Services.AddSingleton<SmsMetrics>();
        builder.Services.AddScoped<SmsDispatcher>();

        builder.AddServiceBus(ResourceNames.SmsSender, x =>
        {
            x.AddConsumer<SmsRequestedConsumer>();
            x.AddConsumer<TwilioStatusReportedConsumer>();
            x.AddConsumer<SendTestSmsConsumer>();
            x.AddIntegrationLookupInvalidation();
        });
        builder.Services.AddHostedService<PriceReconciler>();
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
    }

    /// <summary>The typed Twilio client on Twilio:BaseUrl (default https://api.twilio.com), behind the Polly pipeline.</summary>
    static void AddTwilioClient(this WebApplicationBuilder builder)
    {
        var baseUrl = (builder.Configuration["Twilio:BaseUrl"] is { Length: > 0 } url ? url : "https://api.twilio.com").TrimEnd('/') + "/";
        builder.Services.AddSingleton(sp => TwilioResilienceHandler.BuildPipeline(
            builder.Configuration, sp.GetRequiredService<ILoggerFactory>().CreateLogger<TwilioResilienceHandler>()));
        builder.Services.AddTransient<TwilioResilienceHandler>();
        builder.Services.AddHttpClient<TwilioMessagesClient>(c =>
            {
                c.BaseAddress = new Uri(baseUrl);
                // The pipeline owns the timeouts (per attempt and overall).
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            // Its own pipeline decides retries and timeouts (never a blind re-send): not the ServiceDefaults' standard handler.
            .WithoutStandardResilience()
            .AddHttpMessageHandler<TwilioResilienceHandler>();
    }
}
