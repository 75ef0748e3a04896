using System.Net;
using System.Net.Http.Json;

namespace MorfX.ConfigApiClient;

/// <summary>
/// The typed HttpClient for config-api's internal routes (GET /internal/twilio/{workspaceId},
/// GET /internal/shopify/shops/{shopDomain}, GET /internal/integration-changes, GET /internal/integration-keys); its base address and X-Internal-Key header come from
/// <see cref="ConfigApiClientOptions"/>. 404 is "not found" (null); any other failure throws. Callers go through
/// <see cref="IntegrationLookup"/>, which caches the answers.
/// </summary>
public sealed class ConfigApiInternalClient(HttpClient http)
{
    public const string InternalKeyHeader = "X-Internal-Key";

    public Task<TwilioCredentials?> GetTwilioAsync(Guid workspaceId, CancellationToken ct) =>
        GetAsync<TwilioCredentials>($"/internal/twilio/{workspaceId}", ct);

    /// <summary>The domain must already be a valid, lower-case shop domain (it becomes part of the path).</summary>
    public Task<ShopifyShop?> GetShopifyShopAsync(string shopDomain, CancellationToken ct) =>
        GetAsync<ShopifyShop>($"/internal/shopify/shops/{shopDomain}", ct);

    /// <summary>The change feed after <paramref name="after"/>; null asks for its head only (a page that starts over).</summary>
    public async Task<IntegrationChangePage> GetIntegrationChangesAsync(long? after, CancellationToken ct) =>
        await GetAsync<IntegrationChangePage>(after is { } n ? $"/internal/integration-changes?after={n}" : "/internal/integration-changes", ct)
        ?? throw new HttpRequestException("config-api has no change feed (404).");

    /// <summary>Every key config-api holds, read whole when the change feed starts over.</summary>
    public async Task<IntegrationKeys> GetIntegrationKeysAsync(CancellationToken ct) =>
        await GetAsync<IntegrationKeys>("/internal/integration-keys", ct) ?? throw new HttpRequestException("config-api has no key set (404).");

    async Task<T?> GetAsync<T>(string path, CancellationToken ct) where T : class
    {
        using var response = await http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(ct);
    }
}
