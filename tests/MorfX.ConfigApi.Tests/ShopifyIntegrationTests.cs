using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

public class ShopifyIntegrationTests
{
    const string Path = "/api/integrations/shopify";
    static readonly string[] Topics = ["ORDERS_CREATE", "ORDERS_UPDATED", "DRAFT_ORDERS_CREATE"];

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    sealed record Shop(Guid Workspace, string Domain, string AccessToken, string ClientSecret);

    static Shop NewShop() => new(Guid.NewGuid(), $"tienda-{Guid.NewGuid():N}"[..20] + ".myshopify.com",
        "shpat_" + Guid.NewGuid().ToString("N"), "shpss_" + Guid.NewGuid().ToString("N"));

    /// <summary>The shop exists at Shopify and the token is its Admin API token (the emulator then answers for it).</summary>
    async Task RegisterAsync(Shop shop)
    {
        using var client = ShopifyAdmin.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/shops", new { shopDomain = shop.Domain, accessToken = shop.AccessToken });
        Assert.That(response.IsSuccessStatusCode, Is.True);
    }

    async Task<JsonElement> SaveAsync(Shop shop, string? domain = null)
    {
        await RegisterAsync(shop);
        using var client = Client(shop.Workspace);
        using var response = await client.PutJson(Path,
            new { shopDomain = domain ?? shop.Domain, accessToken = shop.AccessToken, clientSecret = shop.ClientSecret });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    /// <summary>The subscriptions the emulator holds for the shop's access token.</summary>
    async Task<List<JsonElement>> SubscriptionsAtShopifyAsync(Shop shop)
    {
        using var client = ShopifyAdmin.CreateClient();
        var all = await client.GetFromJsonAsync<List<JsonElement>>("/_emulator/subscriptions");
        return [.. all!.Where(s => s.Str("token") == "****" + shop.AccessToken[^4..])];
    }

    async Task FaultAsync(string kind, Shop shop, string? operation = null)
    {
        using var client = ShopifyAdmin.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/faults", new { kind, accessToken = shop.AccessToken, operation });
        Assert.That(response.IsSuccessStatusCode, Is.True);
    }

    [Test]
    public async Task Saving_a_shop_creates_its_three_webhook_subscriptions_at_shopify_and_lists_them_back()
    {
        var shop = NewShop();

        var saved = await SaveAsync(shop);

        var atShopify = await SubscriptionsAtShopifyAsync(shop);
        Assert.That(atShopify.Select(s => s.Str("topic")), Is.EquivalentTo(Topics));
        Assert.That(atShopify.Select(s => s.Str("callbackUrl")), Is.All.EqualTo("http://127.0.0.1:5101/webhooks/shopify"));
        Assert.That(atShopify.Select(s => s.Str("format")), Is.All.EqualTo("JSON"));

        using var agent = Client(shop.Workspace, Roles.Agent);
        var shown = await agent.GetJson(Path);
        Assert.That(shown.Str("status"), Is.EqualTo("active"));
        Assert.That(shown.Str("shopDomain"), Is.EqualTo(shop.Domain));
        Assert.That(shown.Str("accessToken"), Is.EqualTo("****" + shop.AccessToken[^4..]));
        Assert.That(shown.Str("clientSecret"), Is.EqualTo("****" + shop.ClientSecret[^4..]));
        Assert.That(shown.Str("defaultCountry"), Is.EqualTo("CO"));
        Assert.That(shown.GetProperty("autoSyncOrders").GetBoolean(), Is.True);
        var webhooks = shown.GetProperty("webhooks").EnumerateArray().ToList();
        Assert.That(webhooks.Select(w => w.Str("topic")), Is.EqualTo(Topics));
        Assert.That(webhooks.Select(w => w.Str("status")), Is.All.EqualTo("active"));
        Assert.That(webhooks.Select(w => w.Str("subscriptionId")), Is.EquivalentTo(atShopify.Select(s => s.Str("id"))));
        Assert.That(shown.GetRawText(), Does.Not.Contain(shop.AccessToken).And.Not.Contain(shop.ClientSecret));
        Assert.That(saved.GetRawText(), Does.Not.Contain(shop.AccessToken).And.Not.Contain(shop.ClientSecret));
    }

    [Test]
    public async Task The_shop_domain_is_validated_and_stored_in_lower_case()
    {
        var shop = NewShop();
        using var client = Client(shop.Workspace);

        using var custom = await client.PutJson(Path, new { shopDomain = "www.mitienda.com", accessToken = "", clientSecret = shop.ClientSecret, defaultCountry = "Colombia" });
        var saved = await SaveAsync(shop, shop.Domain.ToUpperInvariant());

        Assert.That(custom.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await custom.Json()).FieldErrors(),
            Is.EquivalentTo(new[] { "shopDomain:invalid_shop_domain", "accessToken:required", "defaultCountry:invalid_country" }));
        Assert.That(saved.Str("shopDomain"), Is.EqualTo(shop.Domain));
    }

    [Test]
    public async Task When_shopify_refuses_the_subscriptions_the_shop_is_saved_as_failing_and_saving_again_retries()
    {
        var shop = NewShop();
        await FaultAsync("unauthorized", shop, "webhookSubscriptionCreate");

        var failed = await SaveAsync(shop);

        Assert.That(failed.Str("status"), Is.EqualTo("failing"));
        Assert.That(failed.GetProperty("error").Str("code"), Is.EqualTo("shopify_unauthorized"));
        Assert.That(failed.GetProperty("webhooks").EnumerateArray().Select(w => w.Str("status")), Is.All.EqualTo("failed"));
        using var client = Client(shop.Workspace);
        using var toggle = await client.PatchAsJsonAsync(Path, new { autoSyncOrders = false });
        Assert.That(toggle.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await toggle.Json()).Code(), Is.EqualTo("shopify_not_active"));
        await ChangeAsync(shop.Workspace, c => c.Status == IntegrationStatuses.Failing, "IntegrationChanged(failing)");

        using (var emulator = ShopifyAdmin.CreateClient()) await emulator.DeleteAsync("/_emulator/faults");
        using var retry = await client.PutJson(Path, new { shopDomain = shop.Domain, accessToken = "****" + shop.AccessToken[^4..] });

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var retried = await retry.Json();
        Assert.That(retried.Str("status"), Is.EqualTo("active"));
        Assert.That(retried.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(await SubscriptionsAtShopifyAsync(shop), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_transient_shopify_error_is_retried_within_the_save()
    {
        var shop = NewShop();
        using (var emulator = ShopifyAdmin.CreateClient())
            await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "server_error", accessToken = shop.AccessToken, times = 2 });

        var saved = await SaveAsync(shop);

        Assert.That(saved.Str("status"), Is.EqualTo("active"));
        Assert.That(await SubscriptionsAtShopifyAsync(shop), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task The_auto_sync_toggle_is_persisted_and_announced()
    {
        var shop = NewShop();
        await SaveAsync(shop);
        using var client = Client(shop.Workspace, Roles.Admin);

        using var off = await client.PatchAsJsonAsync(Path, new { autoSyncOrders = false });

        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetJson(Path)).GetProperty("autoSyncOrders").GetBoolean(), Is.False);
        var announced = await ChangeAsync(shop.Workspace, c => c.AutoSyncOrders == false, "IntegrationChanged(autoSyncOrders false)");
        Assert.That(announced.Integration, Is.EqualTo(IntegrationKinds.Shopify));
        Assert.That(announced.ShopDomain, Is.EqualTo(shop.Domain));
        Assert.That(announced.Status, Is.EqualTo(IntegrationStatuses.Active));
        using var internalClient = InternalClient();
        var looked = await internalClient.GetJson($"/internal/shopify/shops/{shop.Domain}");
        Assert.That(looked.GetProperty("autoSyncOrders").GetBoolean(), Is.False);
        using var agent = Client(shop.Workspace, Roles.Agent);
        using var agentToggle = await agent.PatchAsJsonAsync(Path, new { autoSyncOrders = true });
        Assert.That(agentToggle.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task The_internal_shop_look_up_returns_the_workspace_and_both_secrets_during_a_rotation()
    {
        var shop = NewShop();
        await SaveAsync(shop);
        using var client = Client(shop.Workspace);
        using var rotate = await client.PutJson(Path, new
        {
            shopDomain = shop.Domain, clientSecret = "shpss_new_secret_0001", previousClientSecret = shop.ClientSecret, defaultCountry = "mx",
        });
        Assert.That(rotate.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var noKey = InternalClient(null);
        using var refused = await noKey.GetAsync($"/internal/shopify/shops/{shop.Domain}");
        using var internalClient = InternalClient();
        var looked = await internalClient.GetJson($"/internal/shopify/shops/{shop.Domain.ToUpperInvariant()}");
        using var unknown = await internalClient.GetAsync("/internal/shopify/shops/nadie.myshopify.com");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(looked.Str("workspaceId"), Is.EqualTo(shop.Workspace.ToString()));
        Assert.That(looked.Str("status"), Is.EqualTo("active"));
        Assert.That(looked.Str("clientSecret"), Is.EqualTo("shpss_new_secret_0001"));
        Assert.That(looked.Str("previousClientSecret"), Is.EqualTo(shop.ClientSecret));
        Assert.That(looked.Str("defaultCountry"), Is.EqualTo("MX"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Accepted_deliveries_show_as_the_last_delivery_of_their_topic()
    {
        var shop = NewShop();
        await SaveAsync(shop);
        var deliveredAt = DateTimeOffset.UtcNow.AddSeconds(-5);

        await Events.Bus.Publish(new ShopifyWebhookDelivered(shop.Workspace, shop.Domain, "orders/create", deliveredAt));

        using var client = Client(shop.Workspace, Roles.Agent);
        var shown = await MorfX.Testing.Eventually.Get(() => client.GetJson(Path),
            s => s.GetProperty("webhooks")[0].GetProperty("lastDeliveryAt").ValueKind != JsonValueKind.Null, because: "lastDeliveryAt set");
        var webhooks = shown.GetProperty("webhooks").EnumerateArray().ToList();
        Assert.That(webhooks[0].Str("topic"), Is.EqualTo("ORDERS_CREATE"));
        Assert.That(webhooks[0].GetProperty("lastDeliveryAt").GetDateTimeOffset(), Is.EqualTo(deliveredAt).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(webhooks[1].GetProperty("lastDeliveryAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Removing_the_shop_deletes_its_subscriptions_and_announces_the_removal()
    {
        var shop = NewShop();
        await SaveAsync(shop);
        using var client = Client(shop.Workspace);

        using var delete = await client.DeleteAsync(Path);

        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await SubscriptionsAtShopifyAsync(shop), Is.Empty);
        var removed = await ChangeAsync(shop.Workspace, c => c.Status == IntegrationStatuses.Removed, "IntegrationChanged(removed)");
        Assert.That(removed.ShopDomain, Is.EqualTo(shop.Domain));
        using var internalClient = InternalClient();
        // The shop's webhook secret stays for its compliance webhooks (decision 0030): the look-up says the shop was removed.
        using var lookUp = await internalClient.GetAsync($"/internal/shopify/shops/{shop.Domain}");
        Assert.That(lookUp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await lookUp.Content.ReadFromJsonAsync<ShopifyShop>())!.Status, Is.EqualTo(IntegrationStatuses.Removed));
    }

    [Test]
    public async Task A_shop_connected_to_one_workspace_is_invisible_to_another_and_cannot_be_taken()
    {
        var shop = NewShop();
        await SaveAsync(shop);
        var stranger = shop with { Workspace = Guid.NewGuid(), AccessToken = "shpat_" + Guid.NewGuid().ToString("N") };
        using var client = Client(stranger.Workspace);

        var seen = await client.GetJson(Path);
        using var take = await client.PutJson(Path, new { shopDomain = shop.Domain, accessToken = stranger.AccessToken, clientSecret = "x" });
        using var toggle = await client.PatchAsJsonAsync(Path, new { autoSyncOrders = false });

        Assert.That(seen.GetProperty("configured").GetBoolean(), Is.False);
        Assert.That(take.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await take.Json()).Code(), Is.EqualTo("shop_domain_taken"));
        Assert.That(toggle.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await toggle.Json()).Code(), Is.EqualTo("shopify_not_configured"));
    }

    [Test]
    public async Task Access_token_and_client_secret_are_never_logged()
    {
        var shop = NewShop();
        await FaultAsync("unauthorized", shop, "webhookSubscriptionCreate");
        await SaveAsync(shop);
        using (var emulator = ShopifyAdmin.CreateClient()) await emulator.DeleteAsync("/_emulator/faults");
        await SaveAsync(shop);
        using var internalClient = InternalClient();
        await internalClient.GetJson($"/internal/shopify/shops/{shop.Domain}");
        using var client = Client(shop.Workspace);
        using var _ = await client.DeleteAsync(Path);

        Assert.That(Logs.Lines, Has.Some.Contains(shop.Domain), "the save is logged, by shop domain");
        Assert.That(Logs.Lines, Has.None.Contains(shop.AccessToken[6..]));
        Assert.That(Logs.Lines, Has.None.Contains(shop.ClientSecret[6..]));
    }
}
