using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApi;
using MorfX.ConfigApiClient;
using MorfX.ServiceDefaults;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What the webhook-ingest tests talk to, started once per run by <see cref="TestRun"/>: the Shopify emulator, the real
/// config-api (it creates the webhook subscriptions at the emulator and serves the shop secrets), webhook-ingest, and an
/// observer bus on the real broker. Tests say <c>using static WebhookIngestFixture;</c>.
/// </summary>
public static class WebhookIngestFixture
{
    /// <summary>The public base URL ingest is configured with; Twilio signs URLs under it, not under the test's host.</summary>
    public const string TwilioPublicBaseUrl = "https://hooks.morfx.test";

    /// <summary>Inbound SMS kept unverified per AccountSid (Webhooks:UnverifiedInbound:MaxPerAccount), small enough to reach in a test.</summary>
    public const int MaxUnverifiedPerAccount = 3;

    public static RunningService Emulator { get; private set; } = null!;
    public static RunningService ConfigService { get; private set; } = null!;
    public static RunningService Ingest { get; private set; } = null!;
    public static BusObserver Events { get; private set; } = null!;

    public static async Task StartAsync()
    {
        Emulator = await RunningService.StartAsync(ShopifyEmulatorApp.Build, new Dictionary<string, string?>());
        // Some tests retry refused deliveries quickly (a secret rotation being announced); Shopify would remove the
        // subscription after 8 failures in a row, which these tests are not about.
        using (var settings = Emulator.CreateClient())
            (await settings.PostAsJsonAsync("/_emulator/settings", new { removeSubscriptionAfterFailures = 1000 })).EnsureSuccessStatusCode();

        // Config-api registers ingest's address as the webhook callback, and ingest calls config-api: fix ingest's port first.
        var ingestPort = FreePort();
        var ingestAddress = $"http://127.0.0.1:{ingestPort}";

        var configSettings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        configSettings["Shopify:AdminBaseUrl"] = Emulator.BaseAddress.ToString().TrimEnd('/');
        configSettings["PublicUrls:WebhookIngest"] = ingestAddress;
        ConfigService = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, configSettings);

        var ingestSettings = TestInfrastructure.ServiceSettings(ResourceNames.IngestDb);
        ingestSettings["Services:ConfigApi"] = ConfigService.BaseAddress.ToString().TrimEnd('/');
        ingestSettings["PublicUrls:WebhookIngest"] = TwilioPublicBaseUrl;
        ingestSettings["Webhooks:UnverifiedInbound:IntervalMs"] = "500";
        // Tests name their source in X-Forwarded-For, so one test's refusals do not spend another's budget.
        ingestSettings["Webhooks:RefusalLimit:UseForwardedFor"] = "true";
        ingestSettings["Webhooks:UnverifiedInbound:MaxPerAccount"] = MaxUnverifiedPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Ingest = await RunningService.StartAsync(MorfX.WebhookIngest.Program.Build, ingestSettings, b =>
        {
            b.WebHost.UseUrls(ingestAddress);
            b.Services.AddHttpClient<ConfigApiInternalClient>().AddHttpMessageHandler(() => new ConfigApiOutage());
        });

        Assert.That(await ConfigService.WaitHealthyAsync(), Is.EqualTo("Healthy"), "config-api health");
        Assert.That(await Ingest.WaitHealthyAsync(), Is.EqualTo("Healthy"), "webhook-ingest health");
        Events = await PublishedEvents.StartAsync();
    }

    public static async Task StopAsync()
    {
        if (Events is not null) await Events.DisposeAsync();
        if (Ingest is not null) await Ingest.DisposeAsync();
        if (ConfigService is not null) await ConfigService.DisposeAsync();
        if (Emulator is not null) await Emulator.DisposeAsync();
    }

    /// <summary>A fresh workspace connects a fresh shop through config-api's PUT, as the owner does in the settings page.</summary>
    public static async Task<TestShop> ConnectShopAsync(string? previousSecret = null, string defaultCountry = "US")
    {
        var workspaceId = Guid.NewGuid();
        var shop = new TestShop(workspaceId, $"tienda-{workspaceId:N}"[..20] + ".myshopify.com", "shpat_" + RandomHex(), RandomHex());
        using (var emulator = Emulator.CreateClient())
            (await emulator.PostAsJsonAsync("/_emulator/shops", new { shopDomain = shop.Domain, accessToken = shop.AccessToken })).EnsureSuccessStatusCode();
        using var client = ConfigService.CreateClient(Tokens.For(workspaceId));
        using var response = await client.PutAsJsonAsync("/api/integrations/shopify", new
        {
            shopDomain = shop.Domain,
            accessToken = shop.AccessToken,
            clientSecret = shop.Secret,
            previousClientSecret = previousSecret,
            defaultCountry,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return shop;
    }

    /// <summary>Asks the emulator to sign and deliver a webhook to the callback URL config-api subscribed for this shop.</summary>
    public static async Task<DeliveryResult> DeliverAsync(
        TestShop shop, string topic, JsonNode? payload = null, string? webhookId = null, string? secret = null,
        string? rawBody = null, string? headerStyle = null, string? targetUrl = null)
    {
        using var client = Emulator.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/deliveries", new DeliveryRequest(
            topic, shop.Domain, secret ?? shop.Secret, TargetUrl: targetUrl, Payload: payload, RawBody: rawBody, WebhookId: webhookId,
            AccessToken: shop.AccessToken, HeaderStyle: headerStyle));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DeliveryResult>())!;
    }

    public static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
