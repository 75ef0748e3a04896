namespace MorfX.AppHost;

/// <summary>The fixed development ports: bookmarks, the frontend team's settings and the runner rely on them.</summary>
public static class Ports
{
    public const int WebhookIngest = 5101;
    public const int AutomationEngine = 5102;
    public const int SmsSender = 5103;
    public const int ConfigApi = 5104;
    public const int UsageApi = 5105;

    /// <summary>config-api's secret look-ups (/internal/*): not external, not routed by the cluster's Ingress.</summary>
    public const int ConfigApiInternal = 5106;

    public const int TwilioEmulator = 5180;
    public const int ShopifyEmulator = 5181;
    public const int LlmEmulator = 5182;
}
