using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MorfX.Contracts;
using MorfX.ShopifyEmulator;
using MorfX.ShopifyOrders;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

/// <summary>
/// Reconciliation as config-api does it against the Shopify emulator (orders it keeps, its cost-based throttling, its
/// deprecation header): what it publishes, with which EventIds, and what the shop's health then says. A save makes the
/// shop's pass due at once, so each test's first pass starts within a second.
/// </summary>
public class ShopifyReconciliationTests
{
    static BusObserver _orders = null!;

    [OneTimeSetUp]
    public async Task ObserveOrders() =>
        _orders = await BusObserver.StartAsync("config-api-tests-orders", (e, record) =>
        {
            e.Handler<ShopifyOrderCreated>(c => record(c.Message));
            e.Handler<ShopifyOrderUpdated>(c => record(c.Message));
            e.Handler<ShopifyDraftOrderCreated>(c => record(c.Message));
        });

    [OneTimeTearDown]
    public async Task StopObserving() => await _orders.DisposeAsync();

    [TearDown]
    public void ReportLogs() => ReportLogsIfFailed();

    sealed record Shop(Guid Workspace, string Domain, string AccessToken);

    static Shop NewShop() => new(Guid.NewGuid(), $"tienda-{Guid.NewGuid():N}"[..20] + ".myshopify.com", "shpat_" + Guid.NewGuid().ToString("N"));

    /// <summary>The owner connects the shop; its first pass starts at once (the orders a test placed are already at Shopify).</summary>
    static async Task<Shop> ConnectAsync(Shop? placed = null)
    {
        var shop = placed ?? NewShop();
        await EmulatorAsync("/_emulator/shops", new { shopDomain = shop.Domain, accessToken = shop.AccessToken });
        using var client = Client(shop.Workspace);
        using var response = await client.PutAsJsonAsync("/api/integrations/shopify",
            new { shopDomain = shop.Domain, accessToken = shop.AccessToken, clientSecret = "shpss_" + Guid.NewGuid().ToString("N") });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return shop;
    }

    static async Task EmulatorAsync(string path, object body)
    {
        using var client = ShopifyAdmin.CreateClient();
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{path}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An order placed at the shop (the emulator keeps it; nothing is delivered).</summary>
    static async Task<JsonObject> PlaceAsync(Shop shop, long id, DateTimeOffset createdAt, DateTimeOffset? updatedAt = null, string kind = "order")
    {
        var order = ShopifySamples.Parse(kind == "order" ? ShopifySamples.Order : ShopifySamples.DraftOrder);
        order["id"] = id;
        order["created_at"] = ShopTime(createdAt);
        order["updated_at"] = ShopTime(updatedAt ?? createdAt);
        await EmulatorAsync("/_emulator/orders", new { shopDomain = shop.Domain, kind, payload = order });
        return order;
    }

    static string ShopTime(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    static async Task<JsonElement> HealthAsync(Shop shop)
    {
        using var client = Client(shop.Workspace, MorfX.ServiceDefaults.Roles.Agent);
        return await client.GetFromJsonAsync<JsonElement>("/api/integrations/shopify/health");
    }

    [Test]
    public async Task An_order_no_webhook_brought_is_published_as_its_webhook_would_have_been()
    {
        var now = DateTimeOffset.UtcNow;
        var shop = NewShop();
        var id = Random.Shared.NextInt64(1_000_000, 9_000_000);
        await PlaceAsync(shop, id, now.AddSeconds(5));
        await PlaceAsync(shop, id + 1, now.AddSeconds(5), now.AddMinutes(2));
        await PlaceAsync(shop, id + 2, now.AddDays(-3), now.AddSeconds(5)); // placed before the connection, updated after
        await PlaceAsync(shop, id + 3, now.AddSeconds(5), kind: "draft_order");
        await ConnectAsync(shop);

        var created = await _orders.WaitForAsync<ShopifyOrderCreated>(e => e.Order.Id == id && e.WorkspaceId == shop.Workspace, because: "the order, reconciled");
        Assert.That(created.EventId, Is.EqualTo(WebhookEventIds.ForShopify(shop.Domain, "orders/create", id, null, "ignored")),
            "the EventId orders/create's webhook derives: whichever comes second is a no-op");
        Assert.That(created.Reconciled, Is.True);
        Assert.That(created.Order.CreatedAtAsSent, Is.EqualTo(ShopTime(now.AddSeconds(5))), "created_at as the shop (Bogotá) writes it");
        Assert.That(created.Order.Customer?.FirstName, Is.Not.Null);

        var updated = await _orders.WaitForAsync<ShopifyOrderUpdated>(e => e.Order.Id == id + 1, because: "the update, reconciled");
        Assert.That(updated.Order.UpdatedAt!.Value, Is.EqualTo(now.AddMinutes(2)).Within(TimeSpan.FromSeconds(1)));
        await _orders.WaitForAsync<ShopifyOrderUpdated>(e => e.Order.Id == id + 2, because: "an old order's new update still counts");
        await _orders.WaitForAsync<ShopifyDraftOrderCreated>(e => e.Order.Id == id + 3, because: "the draft order, reconciled");

        await Task.Delay(1500);
        Assert.That(_orders.All<ShopifyOrderCreated>(e => e.Order.Id == id + 2), Is.Empty, "an order from before the connection starts nothing");
        Assert.That(_orders.All<ShopifyOrderUpdated>(e => e.Order.Id == id), Is.Empty, "never updated after its creation");

        var health = await HealthAsync(shop);
        Assert.That(health.GetProperty("reconciliation").GetProperty("lastRunAt").ValueKind, Is.EqualTo(JsonValueKind.String));
        var watermark = health.GetProperty("reconciliation").GetProperty("ordersWatermark").GetDateTimeOffset();
        Assert.That(watermark, Is.GreaterThanOrEqualTo(now.AddSeconds(-1)).And.LessThanOrEqualTo(DateTimeOffset.UtcNow),
            "moved on by what was read, never past the pass's start (an order dated ahead is read again)");
        Assert.That(health.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("state").GetString()), Is.All.EqualTo("active"));
    }

    [Test]
    public async Task The_shops_time_zone_is_announced_once_learned_and_in_every_later_change()
    {
        var shop = await ConnectAsync();

        var learned = await ChangeAsync(shop.Workspace, c => c.IanaTimezone is not null, "the first pass reads the shop's time zone");
        Assert.That((learned.Integration, learned.Status, learned.ShopDomain, learned.IanaTimezone),
            Is.EqualTo((IntegrationKinds.Shopify, IntegrationStatuses.Active, shop.Domain, "America/Bogota")));
        Assert.That(Changes(shop.Workspace).First().IanaTimezone, Is.Null, "the save itself, before any pass, knows no zone");

        using var client = Client(shop.Workspace);
        using var response = await client.PatchAsJsonAsync("/api/integrations/shopify", new { autoSyncOrders = false });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var toggled = await ChangeAsync(shop.Workspace, c => c.AutoSyncOrders == false, "the auto-sync toggle");
        Assert.That(toggled.IanaTimezone, Is.EqualTo("America/Bogota"));
    }

    [Test]
    public async Task Shopifys_cost_throttling_is_waited_out_and_every_order_still_arrives()
    {
        // A small bucket: each page of 10 orders costs 12 points of 30, refilled at 10 a second.
        await EmulatorAsync("/_emulator/throttle", new { maximumAvailable = 30, restoreRate = 10 });
        try
        {
            var shop = NewShop();
            var now = DateTimeOffset.UtcNow;
            var first = Random.Shared.NextInt64(10_000_000, 90_000_000);
            for (var i = 0; i < 45; i++) await PlaceAsync(shop, first + i, now.AddSeconds(5), now.AddSeconds(5 + i));
            await ConnectAsync(shop);

            var all = await Eventually.Get(() => Task.FromResult(_orders.All<ShopifyOrderCreated>(e => e.WorkspaceId == shop.Workspace)),
                e => e.Count >= 45, TimeSpan.FromSeconds(40), "all 45 orders through a throttled API");
            Assert.That(all.Select(e => e.Order.Id).Distinct().Count(), Is.EqualTo(45));
        }
        finally
        {
            await EmulatorAsync("/_emulator/throttle", new { maximumAvailable = 2000, restoreRate = 100 });
        }
    }

    [Test]
    public async Task A_deprecation_shopify_reports_is_logged_and_shown_in_health()
    {
        await EmulatorAsync("/_emulator/settings", new { deprecatedReason = "Order.customer.email" });
        try
        {
            var shop = await ConnectAsync();
            var health = await Eventually.Get(() => HealthAsync(shop),
                h => h.GetProperty("apiDeprecatedReason").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(20), "deprecation in health");

            Assert.That(health.GetProperty("apiDeprecatedReason").GetString(), Is.EqualTo("Order.customer.email"));
            Assert.That(health.GetProperty("problem").GetProperty("code").GetString(), Is.EqualTo("shopify_api_deprecated"));
            Assert.That(health.GetProperty("problem").GetProperty("detail").GetString(), Does.Contain("2026-10"));
            Assert.That(Logs.Lines.Any(l => l.StartsWith("Warning") && l.Contains("Order.customer.email") && l.Contains(shop.Domain)), Is.True, "a warning for ops");
        }
        finally
        {
            await EmulatorAsync("/_emulator/settings", new { deprecatedReason = (string?)null });
        }
    }

    [Test]
    public async Task Health_of_a_workspace_without_shopify_is_a_coded_spanish_404()
    {
        using var client = Client(Guid.NewGuid(), MorfX.ServiceDefaults.Roles.Agent);
        using var response = await client.GetAsync("/api/integrations/shopify/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("shopify_not_configured"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Shopify"));
    }
}
