using MorfX.Testing;

namespace MorfX.ConfigApi.Tests;

public static class InternalClients
{
    /// <summary>A client for config-api's internal look-ups, as webhook-ingest and sms-sender call them (null key: none sent).</summary>
    public static HttpClient InternalClient(this RunningService api, string? key = TestInfrastructure.InternalKey)
    {
        var client = api.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add(MorfX.ServiceDefaults.Integrations.IntegrationLookup.InternalKeyHeader, key);
        return client;
    }
}
