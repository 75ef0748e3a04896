using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>Template limits where a user meets them: the preview, saving, and an automation's run.</summary>
public class BoundedTemplatesTests
{
    /// <summary>The issue's bomb: three nested loops over the same list of <paramref name="elements"/> products.</summary>
    static object Bomb(int elements) => new
    {
        trigger = TriggerNames.ShopifyOrderCreated,
        template = "{{#each orden.productos}}{{#each ../orden.productos}}{{#each ../../orden.productos}}" + new string('x', 2_900) + "{{/each}}{{/each}}{{/each}}",
        data = new { orden = new { productos = Enumerable.Range(0, elements).Select(i => new { nombre = $"p{i}", sku = $"S{i}" }).ToArray() } },
    };

    static async Task<(int Status, string? Code, long Ms)> PreviewAsync(HttpClient client, object request)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/api/automations/preview", request);
        var elapsed = watch.ElapsedMilliseconds;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, body.TryGetProperty("code", out var c) ? c.GetString() : null, elapsed);
    }

    static long ProcessMemoryKb(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":"))[(field.Length + 1)..].Trim().Split(' ')[0]);

    [Test]
    public async Task The_preview_bomb_is_refused_at_once_and_memory_stays_flat()
    {
        var workspaceId = Guid.NewGuid();
        using var client = Client(workspaceId, "agent");
        await PreviewAsync(client, Bomb(10)); // warm up: the first request pays for JIT
        var rssBefore = ProcessMemoryKb("VmRSS");

        var nested = await PreviewAsync(client, Bomb(1_000));
        // The same products in one loop, allowed, but each element 2,900 characters: the output limit stops it.
        var flat = await PreviewAsync(client, new
        {
            trigger = TriggerNames.ShopifyOrderCreated,
            template = "{{#each orden.productos}}" + new string('x', 2_900) + "{{nombre}}{{/each}}",
            data = new { orden = new { productos = Enumerable.Range(0, 250).Select(i => new { nombre = $"p{i}" }).ToArray() } },
        });
        var tooMuchData = await PreviewAsync(client, new
        {
            trigger = TriggerNames.ShopifyOrderCreated, template = "{{#each orden.productos}}{{nombre}}{{/each}}",
            data = new { orden = new { productos = Enumerable.Range(0, 1_000).Select(i => new { nombre = $"p{i}" }).ToArray() } },
        });
        var rssAfter = ProcessMemoryKb("VmRSS");

        TestContext.Out.WriteLine($"1,000-element nested bomb: {nested.Status} {nested.Code} in {nested.Ms} ms");
        TestContext.Out.WriteLine($"250 elements x 2,900 characters in one loop: {flat.Status} {flat.Code} in {flat.Ms} ms");
        TestContext.Out.WriteLine($"1,000-element data in one loop: {tooMuchData.Status} {tooMuchData.Code} in {tooMuchData.Ms} ms");
        TestContext.Out.WriteLine($"process RSS {rssBefore / 1024} MiB before, {rssAfter / 1024} MiB after; peak (VmHWM, whole test run) {ProcessMemoryKb("VmHWM") / 1024} MiB");
        Assert.That((nested.Status, nested.Code), Is.EqualTo((400, "template_too_nested")));
        Assert.That((flat.Status, flat.Code), Is.EqualTo((400, "template_output_too_long")));
        Assert.That((tooMuchData.Status, tooMuchData.Code), Is.EqualTo((400, "preview_data_too_large")));
        Assert.That(rssAfter - rssBefore, Is.LessThan(200 * 1024), "memory did not grow with what the templates would have produced");
    }

    [Test]
    public async Task A_preview_body_over_its_size_limit_is_413()
    {
        using var client = Client(Guid.NewGuid(), "agent");
        var response = await client.PostAsJsonAsync("/api/automations/preview",
            new { trigger = TriggerNames.ShopifyOrderCreated, template = "Hola", data = new { relleno = new string('x', 300 * 1024) } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(((int)response.StatusCode, body.GetProperty("code").GetString()), Is.EqualTo((413, "payload_too_large")));
    }

    [Test]
    public async Task Saving_refuses_nested_loops_and_oversized_templates_with_their_codes()
    {
        var workspaceId = await NewWorkspaceAsync();
        using var client = Client(workspaceId);
        var response = await client.PostAsJsonAsync("/api/automations", new
        {
            name = "Bomba", trigger = TriggerNames.ShopifyOrderCreated,
            actions = new object[]
            {
                SmsAction("{{#each orden.productos}}{{#each ../orden.productos}}{{nombre}}{{/each}}{{/each}}"),
                new { type = "create_task", config = new Dictionary<string, object> { ["title"] = "Revisar", ["description"] = new string('d', 4_001) } },
            },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("field").GetString(), e.GetProperty("code").GetString()));
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            ("actions[0].config.body", "template_too_nested"),
            ("actions[1].config.description", "template_too_long"),
        }));
        Assert.That(await QueryAsync(db => db.Automations.CountAsync(a => a.WorkspaceId == workspaceId)), Is.Zero);
    }

    [Test]
    public async Task At_run_a_template_over_a_limit_is_a_failed_step_with_its_code_and_nothing_is_sent()
    {
        var workspaceId = await NewWorkspaceAsync();
        // Valid at save (one loop), but this order has 250 products: 250 × 1,500 characters is far over the output limit.
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Productos", trigger = TriggerNames.ShopifyOrderCreated,
            actions = new[]
            {
                new { type = "create_task", config = new Dictionary<string, object>
                {
                    ["title"] = "Preparar {{orden.numero}}", ["description"] = "{{#each orden.productos}}" + new string('x', 1_500) + "{{/each}}",
                } },
            },
        });
        // The same in an SMS: the code is Twilio's limit, the one the merchant can act on.
        var sms = await CreateAutomationAsync(workspaceId, new
        {
            name = "SMS productos", trigger = TriggerNames.ShopifyOrderCreated,
            actions = new[] { SmsAction("{{#each orden.productos}}" + new string('x', 1_500) + "{{/each}}") },
        });
        // Saved before the limits existed: a nested loop that the validator refuses today.
        var legacy = await SaveWithoutValidationAsync(workspaceId, "{{#each orden.productos}}{{#each ../orden.productos}}{{sku}}{{/each}}{{/each}}");
        var order = Order(NewOrderId()) with
        {
            LineItems = [.. Enumerable.Range(0, 250).Select(i => new ShopifyLineItem(i, $"SKU-{i}", "Camiseta", null, 1, 10m))],
        };
        var e = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, order);

        await Bus.Publish(e);
        await WaitHandledAsync(e.EventId);

        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        Assert.That(runs!.Select(r => (r.Status, r.ErrorCode)), Is.EqualTo(new[] { ("failed", (string?)"template_output_too_long") }));
        var smsRuns = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{sms.Id}/runs");
        Assert.That(smsRuns!.Select(r => (r.Status, r.ErrorCode)), Is.EqualTo(new[] { ("failed", (string?)"body_too_long") }));
        var legacyRuns = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{legacy}/runs");
        Assert.That(legacyRuns!.Select(r => (r.Status, r.ErrorCode)), Is.EqualTo(new[] { ("failed", (string?)"template_too_nested") }));
        Assert.That(legacyRuns![0].Error, Does.Contain("un nivel de {{#each}}"));
        Assert.That(SmsFor(workspaceId), Is.Empty);
    }

    static Task<Guid> SaveWithoutValidationAsync(Guid workspaceId, string body) => QueryAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        var automation = new Automation
        {
            Id = Guid.CreateVersion7(), WorkspaceId = workspaceId, Name = "Antigua", Trigger = TriggerNames.ShopifyOrderCreated,
            Conditions = "[]", Actions = AutomationJson.Serialize(new[] { new { type = "send_sms", config = new { to = "{{cliente.telefono}}", body } } }),
            Enabled = true, CreatedAt = now, UpdatedAt = now,
        };
        db.Automations.Add(automation);
        await db.SaveChangesAsync();
        return automation.Id;
    });
}
