using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AppHost.Tests;

/// <summary>
/// What ops see: `dotnet run --project MorfX.AppHost`, then the Aspire dashboard in headless Chromium shows every resource
/// running and healthy, and one Shopify order's trace from webhook-ingest through the engine and sms-sender to the HTTP
/// call to Twilio. Screenshots land in TestResults/dashboard/ (resources.png, trace.png).
/// </summary>
[NonParallelizable]
public class DashboardTests
{
    static readonly string Screenshots = Path.Combine(TestInfrastructure.RepoRoot, "TestResults", "dashboard");

    AppHostProcess _appHost = null!;
    IPlaywright _playwright = null!;
    IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _appHost = await AppHostProcess.StartAsync(TimeSpan.FromMinutes(4));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            // Playwright's own browser download is not reachable here: Debian's chromium (installed by deploy/local/morfx test).
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_appHost is not null) await _appHost.DisposeAsync();
    }

    [Test]
    public async Task The_dashboard_shows_every_resource_healthy_and_an_orders_trace_from_webhook_to_Twilio()
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        Directory.CreateDirectory(Screenshots);

        // Resources: every one Running, none unhealthy or still starting.
        string[] resources = [.. AppHostProcess.Ports.Keys, "postgres", "messaging", "configdb", "ingestdb", "enginedb", "smsdb", "usagedb"];
        await page.GotoAsync(AppHostProcess.Dashboard);
        var states = await Eventually.Get(async () =>
            {
                var text = await page.Locator("fluent-data-grid-row, [role=row]").AllInnerTextsAsync();
                return resources.ToDictionary(r => r, r => text.FirstOrDefault(t => t.Split('\n', '\t').Any(cell => cell.Trim() == r)) ?? "");
            },
            rows => rows.Values.All(row => row.Contains("Running") && !row.Contains("Unhealthy")),
            TimeSpan.FromSeconds(60), "every resource Running and healthy in the dashboard");
        Assert.That(states.Values, Has.All.Contains("Running"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "resources.png"), FullPage = true });

        // One signed order, traced from here: the Shopify emulator delivers it within our trace (W3C traceparent).
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var workspace = await ConfigureWorkspaceAsync();
        var phone = "+57300" + Random.Shared.Next(1000000, 9999999);
        await DeliverOrderAsync(workspace, traceId, phone);
        await Eventually.Get(() => TwilioMessagesToAsync(phone), n => n > 0, TimeSpan.FromSeconds(60), "the SMS at the Twilio emulator");

        // The trace: spans of webhook-ingest, automation-engine and sms-sender, down to sms-sender's HTTP call to Twilio.
        // The span grid renders only the rows in view: a tall viewport shows the whole trace (about 50 spans).
        await page.SetViewportSizeAsync(1600, 2800);
        var rows = await Eventually.Get(async () =>
            {
                await page.GotoAsync($"{AppHostProcess.Dashboard}/traces/detail/{traceId}");
                await page.WaitForTimeoutAsync(1500);
                return await SpanRowsAsync(page);
            },
            rows => rows.Any(r => r.Contains("sms-sender") && r.Contains("twilio-emulator")),
            TimeSpan.FromSeconds(60), "the order's trace in the dashboard, down to sms-sender's HTTP call to the Twilio emulator");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "trace.png") });
        TestContext.Progress.WriteLine($"screenshots: {Screenshots}/resources.png, {Screenshots}/trace.png");

        var spans = rows.Where(r => r.Contains('\n') || r.Contains('\t')).ToList();
        Assert.That(spans.First(r => !r.Contains("Resource")), Does.Contain("POST /webhooks/shopify").And.Contain("webhook-ingest"), "the trace starts at the webhook");
        foreach (var service in new[] { "automation-engine", "sms-sender" })
            Assert.That(spans.Any(r => r.Contains(service)), $"a span of {service}");
    }

    static async Task<IReadOnlyList<string>> SpanRowsAsync(IPage page) =>
        await page.Locator("fluent-data-grid-row, [role=row]").AllInnerTextsAsync();

    sealed record TestWorkspace(Guid Id, string Token, string AccountSid, string AuthToken, string ShopDomain, string ShopSecret, string AccessToken);

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
