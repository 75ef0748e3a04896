namespace MorfX.ServiceDefaults;

/// <summary>
/// Resource names shared by the AppHost and the services (the AppHost links this file), so the
/// connection names it injects (ConnectionStrings__name) and the ones services read cannot drift.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Messaging = "messaging";

    public const string IngestDb = "ingestdb";
    public const string EngineDb = "enginedb";
    public const string SmsDb = "smsdb";
    public const string ConfigDb = "configdb";
    public const string UsageDb = "usagedb";

    public const string WebhookIngest = "webhook-ingest";
    public const string AutomationEngine = "automation-engine";
    public const string SmsSender = "sms-sender";
    public const string ConfigApi = "config-api";
    public const string UsageApi = "usage-api";

    /// <summary>config-api's second endpoint, for the secret look-ups (/internal/*) only.</summary>
    public const string InternalEndpoint = "internal";
}
