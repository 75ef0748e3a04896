using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using NUnit.Framework;

// Outside MorfX.WebhookIngest.Tests on purpose: that namespace's [SetUpFixture] starts PostgreSQL, RabbitMQ, config-api and
// ingest, and these tests need only the emulator and a receiver, both in this process.
namespace MorfX.ShopifyEmulator.Tests;

/// <summary>
/// The emulator as a reconciliation job sees it: orders it delivered (or stored) come back from the Admin API's `orders`
/// in GraphQL's shape and UTC, page by page; the cost limit throttles and recovers; failing subscriptions are removed; a
/// shop's deliveries can be held back while its orders are still stored.
/// </summary>
public sealed class ShopifyEmulatorOrdersTests
{
    const string Shop = "tienda-reconcilia.myshopify.com", Token = "shpat_reconcilia0001";
    RunningService _emulator = null!, _receiver = null!;
    HttpClient _control = null!;
    int _receiverStatus = 200, _received;

    [OneTimeSetUp]
    public async Task Start()
    {
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        _emulator = await RunningService.StartAsync(ShopifyEmulatorApp.Build, quiet);
        _receiver = await RunningService.StartAsync((args, configure) =>
        {
            var builder = WebApplication.CreateBuilder(args);
            configure?.Invoke(builder);
            var app = builder.Build();
            app.MapPost("/webhooks/shopify", () =>
            {
                Interlocked.Increment(ref _received);
                return Results.StatusCode(Volatile.Read(ref _receiverStatus));
            });
            return app;
        }, quiet);
        _control = _emulator.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _control.Dispose();
        await _receiver.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [SetUp]
    public async Task Reset()
    {
        (await _control.PostAsync("/_emulator/reset", null)).EnsureSuccessStatusCode();
        (await _control.PostAsJsonAsync("/_emulator/shops", new { shopDomain = Shop, accessToken = Token })).EnsureSuccessStatusCode();
        _receiverStatus = 200;
        _received = 0;
    }

    string Callback => new Uri(_receiver.BaseAddress, "/webhooks/shopify").ToString();

    [Test]
    public async Task Delivered_orders_come_back_by_updated_at_in_UTC_over_three_pages()
    {
        // Updated at 12:00Z (on the bound, left out) and 12:01Z..12:04Z, written with the shop's -05:00 offset; one older.
        for (var i = 0; i <= 4; i++)
            await DeliverAsync("orders/create", Order(2000 + i, $"2026-12-07T07:0{i}:00-05:00"), Callback);
        await DeliverAsync("orders/create", Order(1999, "2026-12-06T10:00:00-05:00"), Callback);
        // An update moves 2001 to the end; an order stored while nothing was subscribed is served too.
        await DeliverAsync("orders/updated", Order(2001, "2026-12-07T07:09:00-05:00"), Callback);
        (await _control.PostAsJsonAsync("/_emulator/orders", new { shopDomain = Shop, kind = "order", payload = Order(2010, "2026-12-07T13:07:00+01:00") }))
            .EnsureSuccessStatusCode();
        (await _control.PostAsJsonAsync("/_emulator/settings", new { deprecatedReason = "https://shopify.dev/api/usage/versioning" })).EnsureSuccessStatusCode();

        var pages = new List<JsonObject>();
        string? after = null;
        do
        {
            var (response, answer) = await GraphQlAsync(
                "query Orders($after: String) { orders(first: 2, after: $after, sortKey: UPDATED_AT, query: \"updated_at:>'2026-12-07T12:00:00Z'\") " +
                "{ nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }", new { after });
            Assert.That(response.Headers.GetValues(AdminGraphQl.DeprecatedReasonHeader).Single(), Is.EqualTo("https://shopify.dev/api/usage/versioning"));
            pages.Add(answer);
            after = (string?)answer["data"]!["orders"]!["pageInfo"]!["endCursor"];
        }
        while ((bool)pages[^1]["data"]!["orders"]!["pageInfo"]!["hasNextPage"]! && pages.Count < 5);

        var nodes = pages.SelectMany(p => p["data"]!["orders"]!["nodes"]!.AsArray()).Select(n => n!.AsObject()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pages, Has.Count.EqualTo(3), "2 + 2 + 1 nodes");
            Assert.That(nodes.Select(n => (string?)n["legacyResourceId"]), Is.EqualTo(new[] { "2002", "2003", "2004", "2010", "2001" }));
            Assert.That(nodes.Select(n => (string?)n["updatedAt"]), Is.EqualTo(new[]
            {
                "2026-12-07T12:02:00Z", "2026-12-07T12:03:00Z", "2026-12-07T12:04:00Z", "2026-12-07T12:07:00Z", "2026-12-07T12:09:00Z",
            }).AsCollection);
            Assert.That(pages.Select(p => (int)p["extensions"]!["cost"]!["actualQueryCost"]!), Is.EqualTo(new[] { 4, 4, 3 }), "2 + nodes returned");
            Assert.That(pages.Select(p => (int)p["extensions"]!["cost"]!["requestedQueryCost"]!), Is.All.EqualTo(4), "2 + first");
            Assert.That((bool)pages[1]["data"]!["orders"]!["pageInfo"]!["hasPreviousPage"]!, Is.True);
        });

        var node = nodes[0];
        // The emulator gives its samples the day after tomorrow (ShopifySamples.Named), keeping their time and offset.
        var day = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That((string?)node["id"], Is.EqualTo("gid://shopify/Order/2002"));
            Assert.That((string?)node["createdAt"], Is.EqualTo($"{day}T15:15:32Z"), "the sample's -05:00 in UTC");
            Assert.That(node["tags"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "vip", "mayorista", "primera-compra" }));
            Assert.That((string?)node["displayFinancialStatus"], Is.EqualTo("PAID"));
            Assert.That((string?)node["displayFulfillmentStatus"], Is.EqualTo("UNFULFILLED"));
            Assert.That((string?)node["totalPriceSet"]!["shopMoney"]!["amount"], Is.EqualTo("149.90"));
            Assert.That((string?)node["customer"]!["id"], Is.EqualTo("gid://shopify/Customer/7019283746521"));
            Assert.That((string?)node["customer"]!["defaultPhoneNumber"]!["phoneNumber"], Is.EqualTo("555-625-1199"));
            Assert.That((string?)node["shippingAddress"]!["countryCodeV2"], Is.EqualTo("CO"));
            Assert.That(node["lineItems"]!["nodes"]!.AsArray().Select(l => (string?)l!["id"]),
                Is.EqualTo(new[] { "gid://shopify/LineItem/14561237896321", "gid://shopify/LineItem/14561237929089" }));
        });

        await DeliverAsync("draft_orders/create", null, Callback);
        var (_, drafts) = await GraphQlAsync("{ draftOrders(first: 5) { nodes { id status } } }");
        var draft = drafts["data"]!["draftOrders"]!["nodes"]![0]!;
        Assert.That(((string?)draft["id"], (string?)draft["status"], (string?)draft["createdAt"]),
            Is.EqualTo(("gid://shopify/DraftOrder/1094582001233", "INVOICE_SENT", $"{day}T13:20:44Z")));

        var stats = await _control.GetFromJsonAsync<JsonObject>("/_emulator/stats");
        Assert.That((int)stats!["adminCalls"]![Shop]!, Is.EqualTo(4), "three pages and the draft orders");
    }

    [Test]
    public async Task An_empty_bucket_answers_THROTTLED_and_serves_again_once_it_has_refilled()
    {
        (await _control.PostAsJsonAsync("/_emulator/throttle", new { maximumAvailable = 30, restoreRate = 2 })).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
            (await _control.PostAsJsonAsync("/_emulator/orders", new { shopDomain = Shop, kind = "order", payload = Order(3000 + i, "2026-12-07T12:00:00Z") }))
                .EnsureSuccessStatusCode();
        const string Query = "{ orders(first: 25) { nodes { id } } }"; // requests 27, costs 2 + 3

        var (_, served) = await GraphQlAsync(Query);
        var (_, throttled) = await GraphQlAsync(Query);

        Assert.That((int)served["extensions"]!["cost"]!["actualQueryCost"]!, Is.EqualTo(5));
        Assert.That((string?)throttled["errors"]![0]!["extensions"]!["code"], Is.EqualTo("THROTTLED"), throttled.ToJsonString());
        var cost = throttled["extensions"]!["cost"]!;
        Assert.That(cost["actualQueryCost"], Is.Null);
        Assert.That(cost["throttleStatus"]!.ToJsonString(), Does.Contain("\"maximumAvailable\":30.0").And.Contain("\"restoreRate\":2.0"));

        // 2 points a second (slow enough that a loaded machine cannot refill between the first two queries): what is missing
        // comes back in (27 - available) / 2 s.
        var available = (int)cost["throttleStatus"]!["currentlyAvailable"]!;
        await Task.Delay(TimeSpan.FromSeconds((27 - available) / 2.0 + 0.1));
        var (_, recovered) = await GraphQlAsync(Query);
        Assert.That(recovered["data"]!["orders"]!["nodes"]!.AsArray(), Has.Count.EqualTo(3), recovered.ToJsonString());

        var stats = await _control.GetFromJsonAsync<JsonObject>("/_emulator/stats");
        Assert.That(((int)stats!["adminCalls"]![Shop]!, (int)stats["throttled"]![Shop]!), Is.EqualTo((3, 1)));
    }

    [Test]
    public async Task Eight_failed_deliveries_in_a_row_remove_the_subscription()
    {
        var subscription = await SubscribeAsync();
        _receiverStatus = 500;
        for (var i = 0; i < 7; i++) await DeliverAsync("orders/create", Order(4000 + i, "2026-12-07T12:00:00Z"));
        _receiverStatus = 200;
        await DeliverAsync("orders/create", Order(4007, "2026-12-07T12:00:00Z")); // a success starts the count again
        _receiverStatus = 503;
        for (var i = 0; i < 7; i++) await DeliverAsync("orders/create", Order(4010 + i, "2026-12-07T12:00:00Z"));
        Assert.That(await RemovedAsync(), Is.Empty, "7 failures since the last success");

        await DeliverAsync("orders/create", Order(4020, "2026-12-07T12:00:00Z"));

        var removed = await RemovedAsync();
        Assert.That(removed.Select(r => ((string?)r!["id"], (string?)r["topic"], (string?)r["callbackUrl"], (int)r["consecutiveFailures"]!)),
            Is.EqualTo(new[] { (subscription, "ORDERS_CREATE", Callback, 8) }));
        var (_, listed) = await GraphQlAsync("{ webhookSubscriptions(first: 10) { nodes { id } } }");
        Assert.That(listed["data"]!["webhookSubscriptions"]!["nodes"]!.AsArray(), Is.Empty);
        var (_, orders) = await GraphQlAsync("{ orders(first: 50) { nodes { id } } }");
        Assert.That(orders["data"]!["orders"]!["nodes"]!.AsArray(), Has.Count.EqualTo(16), "every order stored, delivered or not");
        using var nowhere = await _control.PostAsJsonAsync("/_emulator/deliveries", new { topic = "orders/create", shopDomain = Shop, secret = "s", accessToken = Token });
        Assert.That(nowhere.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing subscribed any more");
    }

    [Test]
    public async Task Deliveries_switched_off_store_the_order_but_send_nothing()
    {
        await SubscribeAsync();
        _receiverStatus = 500; // would count as failures if anything were sent
        (await _control.PostAsJsonAsync($"/_emulator/shops/{Shop}/deliveries", new { enabled = false })).EnsureSuccessStatusCode();

        JsonObject? held = null;
        for (var i = 0; i < 9; i++) held = await DeliverAsync("orders/create", Order(5000 + i, "2026-12-07T12:00:00Z"));

        Assert.That(((int?)held!["status"], (string?)held["error"]), Is.EqualTo(((int?)null, "deliveries_off")));
        Assert.That(_received, Is.Zero);
        Assert.That(await RemovedAsync(), Is.Empty, "held-back deliveries are no failures");
        var records = await _control.GetFromJsonAsync<JsonArray>("/_emulator/deliveries");
        Assert.That(records!.Select(r => (string?)r!["error"]), Is.EqualTo(Enumerable.Repeat("deliveries_off", 9)));
        var (_, orders) = await GraphQlAsync("{ orders(first: 50, sortKey: ID, reverse: true) { nodes { legacyResourceId } } }");
        Assert.That(orders["data"]!["orders"]!["nodes"]!.AsArray().Select(n => (string?)n!["legacyResourceId"]),
            Is.EqualTo(Enumerable.Range(5000, 9).Reverse().Select(i => i.ToString())));

        (await _control.PostAsJsonAsync($"/_emulator/shops/{Shop}/deliveries", new { enabled = true })).EnsureSuccessStatusCode();
        _receiverStatus = 200;
        var sent = await DeliverAsync("orders/create", Order(5100, "2026-12-07T12:00:00Z"));
        Assert.That(((int?)sent["status"], _received), Is.EqualTo(((int?)200, 1)));
    }

    static JsonObject Order(long id, string updatedAt)
    {
        var order = ShopifySamples.Parse(ShopifySamples.Order);
        order["id"] = id;
        order["updated_at"] = updatedAt;
        return order;
    }

    async Task<JsonObject> DeliverAsync(string topic, JsonObject? payload, string? targetUrl = null)
    {
        using var response = await _control.PostAsJsonAsync("/_emulator/deliveries", new DeliveryRequest(
            topic, Shop, "shpss_secret", TargetUrl: targetUrl, Payload: payload, AccessToken: Token));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    async Task<string> SubscribeAsync()
    {
        var (_, answer) = await GraphQlAsync(
            "mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: {callbackUrl: \"" + Callback + "\", format: JSON}) " +
            "{ webhookSubscription { id } userErrors { message } } }");
        return (string)answer["data"]!["webhookSubscriptionCreate"]!["webhookSubscription"]!["id"]!;
    }

    async Task<JsonArray> RemovedAsync() => (await _control.GetFromJsonAsync<JsonArray>("/_emulator/subscriptions/removed"))!;

    async Task<(HttpResponseMessage Response, JsonObject Answer)> GraphQlAsync(string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/2026-10/graphql.json")
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        request.Headers.Add(AdminGraphQl.AccessTokenHeader, Token);
        var response = await _control.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (response, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }
}
