using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MorfX.Rules;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>Hostile and broken input: clear answers (status + stable code), nothing published, every service still healthy.</summary>
[Parallelizable]
public class BadInputTests
{
    static SystemFixture System => TestRun.System;
    Workspace _workspace = null!;
    Guid _automation;

    [OneTimeSetUp]
    public async Task Workspace_with_an_automation()
    {
        _workspace = await System.CreateWorkspaceAsync();
        _automation = await _workspace.CreateAutomationAsync("shopify.order_created", "Hola {{cliente.nombre}}, orden {{orden.numero}}");
    }

    [OneTimeTearDown]
    public async Task Every_service_is_still_healthy()
    {
        foreach (var service in new[] { System.ConfigApi, System.Ingest, System.Engine, System.Usage })
            Assert.That(await service.WaitHealthyAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("Healthy"));
    }

    /// <summary>Posts bytes exactly as given, signed with the shop's secret (a genuine Shopify signature over a broken body).</summary>
    async Task<(HttpStatusCode Status, string? Code)> PostSignedAsync(byte[] body, string topic = "orders/create", bool prefixed = true)
    {
        using var client = System.Ingest.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var p = prefixed ? "X-Shopify-" : "Shopify-";
        request.Headers.Add(p + "Topic", topic);
        request.Headers.Add(p + "Hmac-Sha256", WebhookSignatures.ShopifyHmac(body, _workspace.ShopSecret));
        request.Headers.Add(p + "Shop-Domain", _workspace.ShopDomain);
        request.Headers.Add(p + "Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add(p + "API-Version", "2025-07");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var code = text.StartsWith('{') ? JsonNode.Parse(text)?["code"]?.GetValue<string>() : null;
        return (response.StatusCode, code);
    }

    [Test]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"note\":\"" + new string('a', 1_100_000) + "\"}");
        Assert.That((await PostSignedAsync(body)).Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task A_truncated_body_is_refused_with_400_and_a_code()
    {
        var (status, code) = await PostSignedAsync(Encoding.UTF8.GetBytes(Workspace.Order("Ana", "+573001234567", 1m).ToJsonString()[..60]));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(code, Is.EqualTo("invalid_payload"));
    }

    [Test]
    public async Task A_non_utf8_body_is_refused_with_400()
    {
        var body = new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}' };
        Assert.That(await PostSignedAsync(body), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_encoding")));
    }

    [Test]
    public async Task A_deeply_nested_body_is_refused_with_400()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)) + "}");
        Assert.That(await PostSignedAsync(body), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_payload")));
    }

    [TestCase("[]")]
    [TestCase("\"order\"")]
    [TestCase("42")]
    [TestCase("null")]
    public async Task A_json_body_that_is_not_an_object_is_refused_with_400(string json) =>
        Assert.That(await PostSignedAsync(Encoding.UTF8.GetBytes(json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_payload")));

    [Test]
    public async Task Headers_without_the_x_prefix_are_accepted()
    {
        var body = Encoding.UTF8.GetBytes(Workspace.Order("Sara Vélez", "+573001230000", 5m).ToJsonString());
        Assert.That((await PostSignedAsync(body, prefixed: false)).Status, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.Get(_workspace.SmsAsync, m => m.Any(s => s.Body.StartsWith("Hola Sara")), TimeSpan.FromSeconds(30), "SMS");
    }

    [Test]
    public async Task Template_syntax_inside_order_data_is_sent_literally_not_evaluated()
    {
        var order = Workspace.Order("{{cliente.email}} {{#each orden.productos}}x{{/each}}", "+573001239999", 5m);

        Assert.That(await _workspace.DeliverAsync("orders/create", order), Is.EqualTo(200));

        var sms = await Eventually.Get(_workspace.SmsAsync, m => m.Any(s => s.To == "+573001239999"), TimeSpan.FromSeconds(30), "SMS");
        var body = sms.Single(s => s.To == "+573001239999").Body;
        Assert.That(body, Does.StartWith("Hola {{cliente.email}}"), "the customer's name is data, never a template");
        Assert.That(body, Does.Not.Contain("@example.com"));
    }

    [TestCase("+99999999999999999999")]
    [TestCase("llamar despues")]
    [TestCase("000")]
    public async Task An_absurd_customer_phone_sends_nothing_and_the_run_says_why(string phone)
    {
        var before = (await _workspace.SmsAsync()).Count;
        var runsBefore = (await _workspace.RunsAsync(_automation)).Count;
        var order = Workspace.Order("Pedro Pérez", phone, 5m);

        Assert.That(await _workspace.DeliverAsync("orders/create", order), Is.EqualTo(200), "a messy order is still Shopify's valid delivery");

        var runs = await Eventually.Get(() => _workspace.RunsAsync(_automation), r => r.Count > runsBefore, TimeSpan.FromSeconds(30), "the run");
        Assert.That(runs.Select(r => r!.ToJsonString()), Has.Some.Contains("invalid_phone"));
        Assert.That((await _workspace.SmsAsync()).Count, Is.EqualTo(before));
    }

    [Test]
    public async Task A_10000_character_sms_body_is_refused_when_saving_with_a_code()
    {
        using var engine = System.Engine.CreateClient(_workspace.Token);
        var response = await engine.PostAsJsonAsync("/api/automations", new
        {
            name = "Demasiado largo",
            trigger = "shopify.order_created",
            actions = new[] { new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = "{{cliente.telefono}}", ["body"] = new string('a', 10_000) } } },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!.ToJsonString(), Does.Contain("body_too_long"));
    }

    [Test]
    public async Task A_rendered_body_over_twilios_limit_is_not_sent_and_the_run_says_why()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var automation = await workspace.CreateAutomationAsync("shopify.order_created", "Nota: {{orden.notas}}");

        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Ana", "+573001234567", 1m, note: new string('n', 10_000))), Is.EqualTo(200));

        var runs = await Eventually.Get(() => workspace.RunsAsync(automation), r => r.Count >= 1, TimeSpan.FromSeconds(30), "a run");
        await Task.Delay(1000);
        Assert.That(runs[0]!.ToJsonString(), Does.Contain("body_too_long"));
        Assert.That(await workspace.SmsAsync(), Is.Empty);
    }
}
