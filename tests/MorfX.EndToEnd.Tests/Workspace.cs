using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>One tenant of the system under test: its credentials, and what its owner, its Shopify store and its frontend do.</summary>
public sealed class Workspace(Guid id, SystemFixture system)
{
    public Guid Id { get; } = id;
    public string Token { get; } = Tokens.For(id, Roles.Owner);
    public string AccountSid { get; } = "AC" + Guid.NewGuid().ToString("N");
    public string AuthToken { get; } = Guid.NewGuid().ToString("N");
    public string FromNumber { get; } = "+1500555" + Random.Shared.Next(1000, 9999);
    public string ShopDomain { get; } = $"tienda-{id.ToString("N")[..10]}.myshopify.com";
    public string AccessToken { get; } = "shpat_" + Guid.NewGuid().ToString("N");
    public string ShopSecret { get; } = "shpss_" + Guid.NewGuid().ToString("N");

    static long _orderIds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 10;

    /// <summary>Creates and enables an automation through the wizard's API, once the engine knows the integrations.</summary>
    public Task<Guid> CreateAutomationAsync(string trigger, string body, string to = "{{cliente.telefono}}", object[]? conditions = null) =>
        CreateAutomationAsync(new
        {
            name = $"SMS {trigger}",
            trigger,
            conditions = conditions ?? [],
            actions = new[] { new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = to, ["body"] = body } } },
            enabled = true,
        });

    /// <summary>Creates an automation from a whole draft (purpose, sendWindow, waits…), once the engine knows the integrations.</summary>
    public async Task<Guid> CreateAutomationAsync(object draft)
    {
        using var engine = system.Engine.CreateClient(Token);
        // The engine learns about integrations from IntegrationChanged: retry until its projection has caught up.
        var created = await Eventually.Get(async () =>
        {
            var response = await engine.PostAsJsonAsync("/api/automations", draft);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode == HttpStatusCode.Created || (r.StatusCode == HttpStatusCode.BadRequest && !r.Body.Contains("not_configured")),
            TimeSpan.FromSeconds(20), "automation accepted");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.Body);
        return JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>An order payload as Shopify sends it (REST resource at the root).</summary>
    public static JsonObject Order(string customerName, string? phone, decimal total, string financialStatus = "paid", long? id = null, string? note = null)
    {
        var orderId = id ?? Interlocked.Increment(ref _orderIds);
        var names = customerName.Split(' ', 2);
        return new JsonObject
        {
            ["id"] = orderId,
            ["name"] = $"#{orderId % 100000}",
            ["order_number"] = orderId % 100000,
            ["email"] = $"cliente{orderId}@example.com",
            ["phone"] = phone,
            ["total_price"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["currency"] = "COP",
            ["financial_status"] = financialStatus,
            ["fulfillment_status"] = null,
            ["customer"] = new JsonObject
            {
                ["id"] = orderId + 7, ["email"] = $"cliente{orderId}@example.com", ["first_name"] = names[0],
                ["last_name"] = names.Length > 1 ? names[1] : null, ["phone"] = phone,
            },
            ["line_items"] = new JsonArray(new JsonObject
            {
                ["id"] = orderId + 1, ["sku"] = "CAM-001", ["title"] = "Camiseta", ["variant_title"] = "M", ["quantity"] = 2, ["price"] = "25000.00",
            }),
            ["tags"] = "vip, web",
            ["note"] = note,
            // As a Colombian shop writes them: its own offset, to the second.
            ["created_at"] = ShopTime(),
            ["updated_at"] = ShopTime(),
        };
    }

    static string ShopTime() => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Shopify delivers (through the emulator, signed with the shop's secret); returns the HTTP status webhook-ingest answered.</summary>
    public async Task<int?> DeliverAsync(string topic, JsonNode payload, string? webhookId = null, string? rawBody = null, string? headerStyle = null)
    {
        using var shopify = system.Shopify.CreateClient();
        var response = await shopify.PostAsJsonAsync("/_emulator/deliveries", new
        {
            topic, shopDomain = ShopDomain, secret = ShopSecret, accessToken = AccessToken,
            targetUrl = new Uri(system.Ingest.BaseAddress, "/webhooks/shopify").ToString(),
            payload = rawBody is null ? payload : null, rawBody, webhookId = webhookId ?? Guid.NewGuid().ToString(), headerStyle,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]?.GetValue<int?>();
    }

    /// <summary>
    /// Delivers like <see cref="DeliverAsync"/>, then waits until the engine has handled the event (its processed mark commits
    /// with whatever the event changed), so a test can assert what it changed or did not.
    /// </summary>
    public async Task<int?> DeliverAndWaitHandledAsync(string topic, JsonNode payload)
    {
        var webhookId = Guid.NewGuid().ToString();
        var status = await DeliverAsync(topic, payload, webhookId);
        // The emulator's X-Shopify-Event-Id is "evt-" and the webhook id; webhook-ingest names the event after it.
        var eventId = MorfX.ShopifyOrders.WebhookEventIds.ForShopify(ShopDomain, topic, payload["id"]?.GetValue<long>(), "evt-" + webhookId, webhookId);
        await Eventually.Get(() => EngineHandledAsync(eventId), handled => handled, TimeSpan.FromSeconds(60), $"{topic} {webhookId} handled by the engine");
        return status;
    }

    async Task<bool> EngineHandledAsync(Guid eventId) =>
        (bool)(await EngineScalarAsync("SELECT EXISTS (SELECT 1 FROM processed_events WHERE event_id = @e)", ("e", eventId)))!;

    /// <summary>Like Shopify: retries a delivery until it is accepted (Shopify retries 8 times over 4 hours).</summary>
    public async Task DeliverUntilAcceptedAsync(string topic, JsonNode payload, string webhookId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var status = await DeliverAsync(topic, payload, webhookId);
            if (status == 200) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"webhook {webhookId} never accepted; last status {status}");
            await Task.Delay(500);
        }
    }

    /// <summary>Shopify delivers to the shop's own subscription (no target given), signed with <paramref name="secret"/> or the shop's.</summary>
    public async Task<int?> DeliverToSubscriptionAsync(string topic, JsonNode payload, string? secret = null)
    {
        using var shopify = system.Shopify.CreateClient();
        var response = await shopify.PostAsJsonAsync("/_emulator/deliveries", new
        {
            topic, shopDomain = ShopDomain, secret = secret ?? ShopSecret, accessToken = AccessToken, payload, webhookId = Guid.NewGuid().ToString(),
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]?.GetValue<int?>();
    }

    /// <summary>Shopify stops (or resumes) delivering this shop's webhooks; it still has every order placed.</summary>
    public async Task SetDeliveriesAsync(bool enabled)
    {
        using var shopify = system.Shopify.CreateClient();
        (await shopify.PostAsJsonAsync($"/_emulator/shops/{ShopDomain}/deliveries", new { enabled })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The shop's Admin API answers every call of this token (naming <paramref name="operation"/>, when given) with
    /// <paramref name="kind"/> (unauthorized: the app was uninstalled).
    /// </summary>
    public async Task ShopifyAdminFaultAsync(string kind, string? operation = null)
    {
        using var shopify = system.Shopify.CreateClient();
        (await shopify.PostAsJsonAsync("/_emulator/faults", new { kind, accessToken = AccessToken, operation })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Shopify refuses this shop's order reads (401): reconciliation pauses the shop and only its webhooks bring orders, which
    /// webhook-ingest still accepts. For a test of the webhook path; call it once the automations exist.
    /// </summary>
    public async Task OnlyWebhooksBringOrdersAsync()
    {
        await ShopifyAdminFaultAsync("unauthorized", "orders(");
        await ShopifyAdminFaultAsync("unauthorized", "draftOrders(");
    }

    public async Task ClearShopifyAdminFaultsAsync()
    {
        using var shopify = system.Shopify.CreateClient();
        (await shopify.DeleteAsync("/_emulator/faults")).EnsureSuccessStatusCode();
    }

    /// <summary>The owner saves the Shopify settings again, as after reinstalling the app.</summary>
    public async Task SaveShopifyAgainAsync()
    {
        using var config = system.ConfigApi.CreateClient(Token);
        var response = await config.PutAsJsonAsync("/api/integrations/shopify", new { ShopDomain, AccessToken, clientSecret = ShopSecret });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    /// <summary>What the frontend shows as the shop's delivery health.</summary>
    public async Task<JsonObject> ShopifyHealthAsync()
    {
        using var config = system.ConfigApi.CreateClient(Tokens.For(Id, Roles.Agent));
        return (await config.GetFromJsonAsync<JsonObject>("/api/integrations/shopify/health"))!;
    }

    public async Task<List<JsonNode>> EmulatorSubscriptionsAsync()
    {
        using var shopify = system.Shopify.CreateClient();
        var all = (await shopify.GetFromJsonAsync<JsonArray>("/_emulator/subscriptions"))!;
        return [.. all.OfType<JsonNode>().Where(s => s["token"]!.GetValue<string>() == "****" + AccessToken[^4..])];
    }

    public async Task<List<JsonNode>> EmulatorRemovedSubscriptionsAsync()
    {
        using var shopify = system.Shopify.CreateClient();
        var all = (await shopify.GetFromJsonAsync<JsonArray>("/_emulator/subscriptions/removed"))!;
        return [.. all.OfType<JsonNode>().Where(s => s["shopDomain"]?.GetValue<string>() == ShopDomain)];
    }

    /// <summary>Admin API calls the shop's token made so far.</summary>
    public async Task<int> EmulatorAdminCallsAsync()
    {
        using var shopify = system.Shopify.CreateClient();
        var stats = (await shopify.GetFromJsonAsync<JsonObject>("/_emulator/stats"))!;
        return stats["adminCalls"]?[ShopDomain]?.GetValue<int>() ?? 0;
    }

    /// <summary>The payment status of the CRM's copy of a Shopify order (read as automation-engine reads its own database).</summary>
    public async Task<string?> CrmOrderPaymentStatusAsync(long shopifyOrderId) => await EngineScalarAsync(
        "SELECT payment_status FROM orders WHERE workspace_id = @w AND source = 'shopify' AND external_id = @e",
        ("e", shopifyOrderId.ToString(System.Globalization.CultureInfo.InvariantCulture))) as string;

    public async Task<List<EmulatedSms>> SmsAsync() =>
        [.. (await system.TwilioMessagesAsync()).Where(m => m.AccountSid == AccountSid)];

    public async Task<JsonObject> UsageAsync(string period = "day")
    {
        using var usage = system.Usage.CreateClient(Token);
        return (await usage.GetFromJsonAsync<JsonObject>($"/api/usage/sms?period={period}"))!;
    }

    /// <summary>The merchant's stop button.</summary>
    public async Task DisableAutomationAsync(Guid automationId)
    {
        using var engine = system.Engine.CreateClient(Token);
        (await engine.PostAsync($"/api/automations/{automationId}/disable", null)).EnsureSuccessStatusCode();
    }

    /// <summary>A count (or any number) from automation-engine's database, as it reads it; @w is this workspace.</summary>
    public async Task<long> EngineNumberAsync(string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(await EngineScalarAsync(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One value from automation-engine's database, as it reads it; @w is this workspace.</summary>
    async Task<object?> EngineScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(await system.ConnectionStringAsync(ResourceNames.EngineDb));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("w", Id);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync();
    }

    public async Task<JsonArray> RunsAsync(Guid automationId)
    {
        using var engine = system.Engine.CreateClient(Token);
        var runs = await engine.GetFromJsonAsync<JsonNode>($"/api/automations/{automationId}/runs");
        return runs as JsonArray ?? runs!["items"]!.AsArray();
    }

    /// <summary>The emulator's prices (negative charges) of this workspace's messages, as the positive cost usage-api must show.</summary>
    public async Task<decimal> EmulatorCostAsync() =>
        (await SmsAsync()).Sum(m => -decimal.Parse(m.Price!, System.Globalization.CultureInfo.InvariantCulture));
}
