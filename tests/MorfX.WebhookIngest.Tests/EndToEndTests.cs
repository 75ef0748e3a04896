using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MorfX.Contracts;
using MorfX.ServiceDefaults.Messaging;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>What the owner and the operator see around a delivery: the subscription, the last delivery, the counters.</summary>
[Order(3)]
public sealed class EndToEndTests
{
    [Test]
    public async Task Connected_shop_is_subscribed_at_Shopify_and_an_accepted_delivery_shows_in_config_api()
    {
        var shop = await ConnectShopAsync();
        using var emulator = Emulator.CreateClient();
        var subscriptions = await emulator.GetFromJsonAsync<JsonArray>("/_emulator/subscriptions");
        var mine = subscriptions!.Where(s => s!["token"]!.GetValue<string>() == "****" + shop.AccessToken[^4..]).ToList();
        Assert.That(mine.Select(s => s!["topic"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "ORDERS_CREATE", "ORDERS_UPDATED", "DRAFT_ORDERS_CREATE" }));
        Assert.That(mine.Select(s => s!["callbackUrl"]!.GetValue<string>()), Is.All.EqualTo(new Uri(Ingest.BaseAddress, "/webhooks/shopify").ToString()));

        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200));

        using var config = ConfigService.CreateClient(Tokens.For(shop.WorkspaceId));
        var integration = await Eventually.Get(
            () => config.GetFromJsonAsync<JsonObject>("/api/integrations/shopify")!,
            i => i!["webhooks"]!.AsArray().Any(w => w!["lastDeliveryAt"] is not null),
            because: "config-api shows the delivery webhook-ingest accepted");
        Assert.That(integration!["webhooks"]!.AsArray().Count(w => w!["lastDeliveryAt"] is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task Webhooks_are_counted_as_received_accepted_rejected_by_reason_and_duplicates()
    {
        var shop = await ConnectShopAsync();
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "MorfX" && instrument.Name.StartsWith("morfx.webhooks.")) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = "";
            foreach (var tag in tags) if (tag.Key == "reason") reason = ":" + tag.Value;
            lock (counts) counts[instrument.Name + reason] = counts.GetValueOrDefault(instrument.Name + reason) + value;
        });
        listener.Start();
        var webhookId = Guid.NewGuid().ToString();

        await DeliverAsync(shop, "orders/create", webhookId: webhookId);
        await DeliverAsync(shop, "orders/create", webhookId: webhookId);
        await DeliverAsync(shop, "orders/create", secret: "forged");

        lock (counts)
            Assert.That(counts, Is.EquivalentTo(new Dictionary<string, long>
            {
                ["morfx.webhooks.received"] = 3,
                ["morfx.webhooks.accepted"] = 1,
                ["morfx.webhooks.duplicates"] = 1,
                ["morfx.webhooks.rejected:invalid_signature"] = 1,
            }));
    }

    [Test]
    public async Task Emulator_admin_api_requires_a_shops_token_and_reads_inline_and_variable_arguments()
    {
        using var client = Emulator.CreateClient();
        var token = "shpat_" + RandomHex();
        const string Mutation = "mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: {callbackUrl: \"https://example.com/a\", format: JSON}) { webhookSubscription { id topic } userErrors { field message } } }";

        using var anonymous = await client.PostAsJsonAsync("/admin/api/2025-07/graphql.json", new { query = Mutation });
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.GetValue<string>(), Is.EqualTo(AdminGraphQl.InvalidTokenMessage));

        client.DefaultRequestHeaders.Add(AdminGraphQl.AccessTokenHeader, token);
        using (var unknownToken = await client.PostAsJsonAsync("/admin/api/2025-07/graphql.json", new { query = Mutation }))
            Assert.That(unknownToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a token no shop was registered with");
        var shopDomain = $"tienda-{RandomHex()[..12]}.myshopify.com";
        (await client.PostAsJsonAsync("/_emulator/shops", new { shopDomain, accessToken = token })).EnsureSuccessStatusCode();
        using (var otherShop = new HttpRequestMessage(HttpMethod.Post, "/admin/api/2025-07/graphql.json") { Content = JsonContent.Create(new { query = "{ shop { myshopifyDomain } }" }) })
        {
            otherShop.Headers.Host = "otra-tienda.myshopify.com";
            using var refused = await client.SendAsync(otherShop);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the token at another shop's host");
        }
        var shop = await Post(client, "{ shop { myshopifyDomain } }", null);
        var inline = await Post(client, Mutation, null);
        var withVariables = await Post(client,
            "mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id } userErrors { message } } }",
            new JsonObject { ["topic"] = "DRAFT_ORDERS_CREATE", ["sub"] = new JsonObject { ["callbackUrl"] = "https://example.com/a", ["format"] = "JSON" } });
        var again = await Post(client, Mutation, null);
        var list = await Post(client, "query($n: Int!) { webhookSubscriptions(first: $n) { nodes { id topic } } }", new JsonObject { ["n"] = 10 });

        Assert.Multiple(() =>
        {
            Assert.That(shop["shop"]!["myshopifyDomain"]!.GetValue<string>(), Is.EqualTo(shopDomain), "the shop the token belongs to");
            Assert.That(inline["webhookSubscriptionCreate"]!["webhookSubscription"]!["id"]!.GetValue<string>(), Does.StartWith("gid://shopify/WebhookSubscription/"));
            Assert.That(withVariables["webhookSubscriptionCreate"]!["webhookSubscription"]!["topic"]!.GetValue<string>(), Is.EqualTo("DRAFT_ORDERS_CREATE"));
            Assert.That(again["webhookSubscriptionCreate"]!["userErrors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo(EmulatorState.DuplicateAddressMessage));
            Assert.That(list["webhookSubscriptions"]!["nodes"]!.AsArray().Select(n => n!["topic"]!.GetValue<string>()),
                Is.EqualTo(new[] { "ORDERS_CREATE", "DRAFT_ORDERS_CREATE" }));
        });
    }

    [Test]
    public async Task In_demo_mode_the_emulator_gives_an_unknown_token_to_the_first_shop_it_is_used_for_and_to_no_other()
    {
        await using var demo = await RunningService.StartAsync(ShopifyEmulatorApp.Build, new Dictionary<string, string?> { ["Emulator:AutoRegisterShops"] = "true" });
        using var client = demo.CreateClient();
        client.DefaultRequestHeaders.Add(AdminGraphQl.AccessTokenHeader, "shpat_" + RandomHex());
        async Task<HttpResponseMessage> ShopAsync(string? host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/2025-07/graphql.json") { Content = JsonContent.Create(new { query = "{ shop { myshopifyDomain } }" }) };
            if (host is not null) request.Headers.Host = host;
            return await client.SendAsync(request);
        }

        using var withoutShop = await ShopAsync(null);
        using var first = await ShopAsync("demo-a.myshopify.com");
        using var again = await ShopAsync("demo-a.myshopify.com");
        using var other = await ShopAsync("demo-b.myshopify.com");

        Assert.That(withoutShop.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no shop named: nothing to give the token to");
        Assert.That((await first.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["shop"]!["myshopifyDomain"]!.GetValue<string>(), Is.EqualTo("demo-a.myshopify.com"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the token now belongs to demo-a");
    }

    static async Task<JsonObject> Post(HttpClient client, string query, JsonObject? variables)
    {
        using var response = await client.PostAsJsonAsync("/admin/api/2025-07/graphql.json", new { query, variables });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]!.AsObject();
    }
}
