using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MorfX.AutomationEngine.Apis;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

public class WizardApiTests
{
    static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    static string[] Codes(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!)];

    [Test]
    public async Task Validation_refuses_send_sms_without_twilio_with_its_code()
    {
        var workspaceId = await NewWorkspaceAsync(twilio: false);
        using var client = Client(workspaceId);

        var problem = await ProblemOf(await client.PostAsJsonAsync("/api/automations/validate",
            new { name = "Bienvenida", trigger = TriggerNames.CrmContactCreated, actions = new[] { SmsAction("Hola {{contacto.nombre}}", "{{contacto.telefono}}") } }));

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("twilio_not_configured"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Configura Twilio"));
        Assert.That(Codes(problem), Is.EqualTo(new[] { "twilio_not_configured" }));
        var save = await client.PostAsJsonAsync("/api/automations",
            new { name = "Bienvenida", trigger = TriggerNames.CrmContactCreated, actions = new[] { SmsAction("Hola {{contacto.nombre}}", "{{contacto.telefono}}") } });
        Assert.That((await ProblemOf(save)).GetProperty("code").GetString(), Is.EqualTo("twilio_not_configured"));
    }

    [Test]
    public async Task Validation_refuses_shopify_triggers_without_an_active_shopify_webhook_with_its_code()
    {
        var workspaceId = await NewWorkspaceAsync(shopify: false);
        using var client = Client(workspaceId);

        var problem = await ProblemOf(await client.PostAsJsonAsync("/api/automations/validate",
            new { name = "Orden", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Orden {{orden.numero}}") } }));

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("shopify_not_configured"));
        Assert.That(problem.GetProperty("errors")[0].GetProperty("field").GetString(), Is.EqualTo("trigger"));

        await SetIntegrationAsync(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active);
        var ok = await client.PostAsJsonAsync("/api/automations/validate",
            new { name = "Orden", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Orden {{orden.numero}}") } });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Validation_names_unknown_keys_variables_missing_fields_bad_phones_and_media_urls()
    {
        var workspaceId = await NewWorkspaceAsync();
        using var client = Client(workspaceId);

        var problem = await ProblemOf(await client.PostAsJsonAsync("/api/automations/validate", new
        {
            name = "Todo mal", trigger = TriggerNames.ShopifyOrderCreated,
            conditions = new[] { new { field = "orden.estado_pago", @operator = "changed_to", value = "paid" } },
            actions = new object[]
            {
                new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = "3001234567", ["body"] = "{{#each orden.productos}}{{sku}} {{peso}}{{/each}} {{orden.inventada}}", ["mediaUrls"] = new[] { "ftp://x/y.jpg" } } },
                new { type = "create_task", config = new Dictionary<string, object>() },
                new { type = "launch_rocket", config = new Dictionary<string, object>() },
            },
        }));

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("validation_failed"));
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("field").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            ("conditions[0].operator", "changed_to_not_supported"),
            ("actions[0].config.to", "invalid_phone"),
            ("actions[0].config.body", "unknown_variable"),
            ("actions[0].config.body", "unknown_variable"),
            ("actions[0].config.mediaUrls", "invalid_media_url"),
            ("actions[1].config.title", "field_required"),
            ("actions[2].type", "unknown_action"),
        }));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("{{peso}}").And.Contain("{{orden.inventada}}"));
    }

    [Test]
    public async Task A_body_longer_than_twilio_accepts_is_refused_when_saving()
    {
        var workspaceId = await NewWorkspaceAsync();
        using var client = Client(workspaceId);

        var problem = await ProblemOf(await client.PostAsJsonAsync("/api/automations",
            new { name = "Largo", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(new string('a', 10_000)) } }));

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("body_too_long"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("1600"));
    }

    [Test]
    public async Task Preview_counts_gsm7_segments_for_plain_text()
    {
        using var client = Client(Guid.NewGuid(), Roles.Agent);

        var result = await client.PostAsJsonAsync("/api/automations/preview", new
        {
            trigger = TriggerNames.ShopifyOrderCreated,
            template = "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}} por {{orden.total}}. {{cliente.apodo}}",
            data = new { cliente = new { nombre = "Ana" }, orden = new { numero = "#1001", total = "59.90" } },
        });
        var preview = (await result.Content.ReadFromJsonAsync<PreviewResult>())!;

        Assert.That(preview.Text, Is.EqualTo("Hola Ana, recibimos tu orden #1001 por 59.90."));
        Assert.That((preview.Encoding, preview.Segments), Is.EqualTo(("GSM-7", 1)));
        Assert.That(preview.UnknownVariables, Is.EqualTo(new[] { "cliente.apodo" }));

        var longText = await (await client.PostAsJsonAsync("/api/automations/preview",
            new { trigger = TriggerNames.ShopifyOrderCreated, template = new string('a', 161) })).Content.ReadFromJsonAsync<PreviewResult>();
        Assert.That((longText!.Encoding, longText.Segments), Is.EqualTo(("GSM-7", 2)));
    }

    [Test]
    public async Task Preview_with_sample_data_switches_spanish_accents_to_ucs2()
    {
        using var client = Client(Guid.NewGuid(), Roles.Agent);

        var result = await client.PostAsJsonAsync("/api/automations/preview", new
        {
            trigger = TriggerNames.ShopifyOrderCreated,
            template = "Hola {{cliente.nombre}}, tu orden {{orden.numero}} ya salió: {{#each orden.productos}}{{cantidad}} x {{nombre}}. {{/each}}¡Gracias por tu compra!",
        });
        var preview = (await result.Content.ReadFromJsonAsync<PreviewResult>())!;

        Assert.That(preview.Text, Is.EqualTo("Hola María, tu orden #1001 ya salió: 2 x Camiseta negra. 1 x Gorra. ¡Gracias por tu compra!"));
        Assert.That((preview.Encoding, preview.Segments), Is.EqualTo(("UCS-2", 2)));
        Assert.That(preview.UnknownVariables, Is.Empty);

        var products = await (await client.PostAsJsonAsync("/api/automations/preview",
            new { trigger = TriggerNames.ShopifyOrderCreated, template = "Productos: {{orden.productos}}" })).Content.ReadFromJsonAsync<PreviewResult>();
        Assert.That(products!.Text, Is.EqualTo("Productos: 2 x Camiseta negra, 1 x Gorra"));
    }

    [Test]
    public async Task Catalog_lists_shopify_triggers_and_the_twilio_action_in_their_categories_and_colours()
    {
        var workspaceId = await NewWorkspaceAsync(twilio: false, shopify: false);
        using var client = Client(workspaceId, Roles.Agent);

        var catalog = (await client.GetFromJsonAsync<CatalogResponse>("/api/automations/catalog"))!;

        var shopify = catalog.Triggers.Where(t => t.Category == "shopify").ToList();
        Assert.That(shopify.Select(t => t.Key), Is.EquivalentTo(new[] { TriggerNames.ShopifyOrderCreated, TriggerNames.ShopifyDraftOrderCreated, TriggerNames.ShopifyOrderUpdated }));
        Assert.That(shopify.Select(t => t.Color).Distinct(), Is.EqualTo(new[] { "#95BF47" }));
        Assert.That(shopify.All(t => t.Availability is { Available: false, Code: "shopify_not_configured" }));
        Assert.That(shopify[0].Variables.Select(v => v.Path), Is.SupersetOf(new[]
            { "orden.numero", "orden.total", "orden.productos", "orden.estado_pago", "cliente.nombre", "cliente.telefono", "contacto.nombre" }));

        var sms = catalog.Actions.Single(a => a.Key == "send_sms");
        Assert.That((sms.Category, sms.CategoryLabel, sms.Color, sms.RequiredIntegration), Is.EqualTo(("twilio", "Twilio", "#14B8A6", "twilio")));
        Assert.That(sms.Availability.Code, Is.EqualTo("twilio_not_configured"));
        Assert.That(sms.Fields.Select(f => (f.Key, f.Required)), Is.EqualTo(new[] { ("to", true), ("body", true), ("mediaUrls", false) }));
        Assert.That(catalog.Categories.Select(c => (c.Key, c.Color)), Is.SupersetOf(new[] { ("crm", "#3B82F6"), ("whatsapp", "#22C55E"), ("tareas", "#EAB308") }));

        await SetIntegrationAsync(workspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Active);
        catalog = (await client.GetFromJsonAsync<CatalogResponse>("/api/automations/catalog"))!;
        Assert.That(catalog.Actions.Single(a => a.Key == "send_sms").Availability.Available, Is.True);
    }

    [Test]
    public async Task Automations_are_scoped_to_the_workspace_and_agents_cannot_change_them()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Mía", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Hola") } });
        using var other = Client(Guid.NewGuid());
        using var agent = Client(workspaceId, Roles.Agent);
        using var owner = Client(workspaceId);

        Assert.That((await other.GetAsync($"/api/automations/{automation.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await other.DeleteAsync($"/api/automations/{automation.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await agent.PostAsync($"/api/automations/{automation.Id}/disable", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await agent.GetFromJsonAsync<List<JsonElement>>("/api/automations"))!.Count, Is.EqualTo(1));

        var disabled = await owner.PostAsync($"/api/automations/{automation.Id}/disable", null);
        Assert.That((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean(), Is.False);
        Assert.That((await owner.DeleteAsync($"/api/automations/{automation.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await owner.GetAsync($"/api/automations/{automation.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
