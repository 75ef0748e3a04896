using MorfX.ConfigApi.Integrations;
using MorfX.ConfigApi.Messaging;

namespace MorfX.ConfigApi.Apis;

/// <summary>The request examples the OpenAPI document shows: what the settings pages send for a Colombian shop.</summary>
static class RequestBodies
{
    public static readonly TwilioSettingsRequest Twilio = new("AC0123456789abcdef0123456789abcdef", "f3a9c2d1e4b5a6978877665544332211", "+15005550006");
    public static readonly TestSmsRequest TestSms = new("+573001234567");
    public static readonly ShopifySettingsRequest Shopify = new("tienda-bogota.myshopify.com", "shpat_0123456789abcdef0123456789abcdef",
        "shpss_0123456789abcdef0123456789abcdef", null, "CO");
    public static readonly ShopifyAutoSyncRequest AutoSync = new(true);
    public static readonly MessagingSettingsRequest Messaging = new(
        new SendWindowRequest("08:00", "21:00", ["mon", "tue", "wed", "thu", "fri", "sat"]), new FrequencyCapRequest(3, 7));
}
