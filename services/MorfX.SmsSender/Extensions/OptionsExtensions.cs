using Microsoft.Extensions.Options;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Sending;
using MorfX.SmsSender.Twilio;

namespace MorfX.SmsSender.Extensions;

/// <summary>sms-sender's settings, bound from configuration and checked when the service starts (a bad value stops it, naming the key).</summary>
public static class OptionsExtensions
{
    public static IServiceCollection AddSmsSenderOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrl is null || HttpUrls.IsAbsoluteHttp(o.BaseUrl), "Twilio:BaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.AttemptTimeout <= o.TotalTimeout, "Twilio:AttemptTimeout must not exceed Twilio:TotalTimeout.")
            .ValidateOnStart();

        services.AddOptions<SendingOptions>().Bind(configuration.GetSection(SendingOptions.Section))
            .Configure(o =>
            {
                if (configuration[SendingOptions.WebhookIngestBaseUrlKey] is { Length: > 0 } url) o.WebhookIngestBaseUrl = url.TrimEnd('/');
            })
            // The lease must outlast one whole Twilio call, or a second attempt could take the request over mid-call.
            .PostConfigure<IOptions<TwilioOptions>>((o, twilio) =>
            {
                var floor = twilio.Value.TotalTimeout + TimeSpan.FromSeconds(5);
                if (o.SendLease < floor) o.SendLease = floor;
            })
            .ValidateDataAnnotations()
            .Validate(o => HttpUrls.IsAbsoluteHttp(o.WebhookIngestBaseUrl),
                "PublicUrls:WebhookIngest must be an absolute http(s) URL (Twilio posts status callbacks there).")
            .ValidateOnStart();

        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.InitialBackoff <= o.MaxBackoff, "Pricing:InitialBackoff must not exceed Pricing:MaxBackoff.")
            .Validate(o => o.FirstCheckDelay <= o.MaxFirstCheckDelay, "Pricing:FirstCheckDelay must not exceed Pricing:MaxFirstCheckDelay.")
            .ValidateOnStart();

        services.AddOptions<DeliveryRetryOptions>().Bind(configuration.GetSection(DeliveryRetryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DeferralOptions>().Bind(configuration.GetSection(DeferralOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
