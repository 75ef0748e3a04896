using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AppHost.Tests;

/// <summary>
/// The story a developer tries first, against the AppHost's fixed ports: Twilio and Shopify configured through config-api,
/// an automation through the engine's wizard API, and one signed Shopify order delivered by the Shopify emulator.
/// </summary>
public static class DemoOrder
{
    sealed record TestWorkspace(Guid Id, string Token, string AccountSid, string AuthToken, string ShopDomain, string ShopSecret, string AccessToken);

    /// <summary>A workspace with one automation, and one order sent within the given trace until its SMS reaches the Twilio emulator.</summary>
    public static async Task SendAsync(string traceId)
    {
        var workspace = await ConfigureWorkspaceAsync();
        var phone = "+57300" + Random.Shared.Next(1000000, 9999999);
        await DeliverOrderAsync(workspace, traceId, phone);
        await Eventually.Get(() => TwilioMessagesToAsync(phone), n => n > 0, TimeSpan.FromSeconds(60), "the SMS at the Twilio emulator");
    }

    static HttpClient Client(int port, string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Twilio and Shopify configured through config-api, and one automation through the engine's wizard API.</summary>
    static async Task<TestWorkspace> ConfigureWorkspaceAsync()
    {
        var id = Guid.NewGuid();
        var workspace = new TestWorkspace(id, Tokens.For(id), "AC" + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"),
            $"tienda-{id.ToString("N")[..10]}.myshopify.com", "shpss_" + Guid.NewGuid().ToString("N"), "shpat_" + Guid.NewGuid().ToString("N"));
        using var config = Client(AppHostProcess.Ports["config-api"], workspace.Token);
        await Ok(await config.PutAsJsonAsync("/api/integrations/twilio",
            new { workspace.AccountSid, workspace.AuthToken, phoneNumber = "+15005550006" }));
        await Ok(await config.PutAsJsonAsync("/api/integrations/shopify",
            new { workspace.ShopDomain, workspace.AccessToken, clientSecret = workspace.ShopSecret, defaultCountry = "CO" }));

        using var engine = Client(AppHostProcess.Ports["automation-engine"], workspace.Token);
        var draft = new
        {
            name = "SMS pedido",
            trigger = "shopify.order_created",
            conditions = Array.Empty<object>(),
            actions = new[] { new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = "{{cliente.telefono}}", ["body"] = "Hola {{cliente.nombre}}, recibimos tu pedido {{orden.numero}}." } } },
            enabled = true,
        };
        // The engine learns about the integrations from IntegrationChanged: retry until its projection has caught up.
        var created = await Eventually.Get(async () =>
            {
                var response = await engine.PostAsJsonAsync("/api/automations", draft);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }, r => r.StatusCode == HttpStatusCode.Created || (r.StatusCode == HttpStatusCode.BadRequest && !r.Body.Contains("not_configured")),
            TimeSpan.FromSeconds(30), "automation accepted");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.Body);
        return workspace;
    }

    static async Task DeliverOrderAsync(TestWorkspace workspace, string traceId, string phone)
    {
        var orderId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var order = new JsonObject
        {
            ["id"] = orderId, ["name"] = $"#{orderId % 100000}", ["order_number"] = orderId % 100000,
            ["email"] = "ana@example.com", ["phone"] = phone, ["total_price"] = "50000.00", ["currency"] = "COP",
            ["financial_status"] = "paid",
            ["customer"] = new JsonObject { ["id"] = orderId + 7, ["first_name"] = "Ana", ["last_name"] = "Gómez", ["phone"] = phone, ["email"] = "ana@example.com" },
            ["line_items"] = new JsonArray(new JsonObject { ["id"] = orderId + 1, ["sku"] = "CAM-001", ["title"] = "Camiseta", ["quantity"] = 2, ["price"] = "25000.00" }),
            ["created_at"] = DateTimeOffset.UtcNow.ToString("o"), ["updated_at"] = DateTimeOffset.UtcNow.ToString("o"),
        };
        using var shopify = Client(AppHostProcess.Ports["shopify-emulator"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_emulator/deliveries")
        {
            Content = JsonContent.Create(new
            {
                topic = "orders/create", shopDomain = workspace.ShopDomain, secret = workspace.ShopSecret, accessToken = workspace.AccessToken,
                targetUrl = $"http://127.0.0.1:{AppHostProcess.Ports["webhook-ingest"]}/webhooks/shopify",
                payload = order, webhookId = Guid.NewGuid().ToString(),
            }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await shopify.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]?.GetValue<int?>(), Is.EqualTo(200), "webhook-ingest's answer");
    }

    static async Task<int> TwilioMessagesToAsync(string phone)
    {
        using var twilio = Client(AppHostProcess.Ports["twilio-emulator"]);
        var messages = await twilio.GetFromJsonAsync<JsonArray>("/_emulator/messages");
        return messages!.Count(m => m?["to"]?.GetValue<string>() == phone);
    }

    static async Task Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
