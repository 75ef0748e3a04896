using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MorfX.AutomationEngine.Builder;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>The AI builder against the OpenAI-compatible emulator: scripted model answers, recorded requests.</summary>
public class BuilderTests
{
    const string Ask = "Cuando llega una orden de Shopify, envia un SMS al cliente con el numero de orden";

    static readonly object ValidDraft = new
    {
        name = "Confirmación de orden",
        trigger = TriggerNames.ShopifyOrderCreated,
        actions = new[] { SmsAction("Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}}. ¡Gracias por tu compra!") },
    };

    static readonly object InventedDraft = new
    {
        name = "Confirmación de orden",
        trigger = TriggerNames.ShopifyOrderCreated,
        actions = new[] { SmsAction("Hola {{cliente.nombre}}, tu orden {{orden.codigo_rastreo}} va en camino") },
    };

    [SetUp]
    public async Task ResetEmulator()
    {
        using var client = Llm.CreateClient();
        (await client.PostAsync("/_emulator/reset", null)).EnsureSuccessStatusCode();
    }

    static object Call(string name, object? arguments = null) => new { toolCalls = new[] { new { name, arguments = arguments ?? new { } } } };

    static object Say(string content) => new { content };

    static async Task ScriptAsync(params object[] responses)
    {
        using var client = Llm.CreateClient();
        (await client.PostAsJsonAsync("/_emulator/script", new { responses })).EnsureSuccessStatusCode();
    }

    static async Task<List<JsonElement>> ModelRequestsAsync()
    {
        using var client = Llm.CreateClient();
        return (await client.GetFromJsonAsync<List<JsonElement>>("/_emulator/requests"))!;
    }

    static async Task<BuilderResponse> AskAsync(Guid workspaceId, string text = Ask)
    {
        using var client = Client(workspaceId);
        var response = await client.PostAsJsonAsync("/api/automations/builder", new { messages = new[] { new { role = "user", content = text } } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BuilderResponse>(Automations.AutomationJson.Options))!;
    }

    [Test]
    public async Task The_model_gets_tools_and_a_system_prompt_naming_send_sms_and_the_shopify_triggers_with_their_variables()
    {
        var workspaceId = await NewWorkspaceAsync();
        await ScriptAsync(Say("¿Qué texto quieres enviar?"));

        var answer = await AskAsync(workspaceId);

        Assert.That(answer.Reply, Is.EqualTo("¿Qué texto quieres enviar?"));
        var request = (await ModelRequestsAsync()).Single();
        Assert.That(request.GetProperty("model").GetString(), Is.EqualTo("morfx-test-model"));
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        Assert.That(messages[0].GetProperty("role").GetString(), Is.EqualTo("system"));
        var prompt = messages[0].GetProperty("content").ToString();
        Assert.That(prompt, Does.Contain("send_sms").And.Contain(TriggerNames.ShopifyOrderCreated)
            .And.Contain(TriggerNames.ShopifyDraftOrderCreated).And.Contain(TriggerNames.ShopifyOrderUpdated)
            .And.Contain("{{orden.numero}}").And.Contain("{{cliente.telefono}}").And.Contain("{{orden.estado_pago}}"));
        Assert.That(messages[1].GetProperty("content").ToString(), Does.Contain(Ask));
        var tools = request.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()).ToList();
        Assert.That(tools, Is.EquivalentTo(new[] { "list_triggers", "list_actions", "get_trigger_variables", "check_integrations", "validate_draft", "create_automation" }));
        var createParameters = request.GetProperty("tools").EnumerateArray()
            .Single(t => t.GetProperty("function").GetProperty("name").GetString() == "create_automation").GetProperty("function").GetProperty("parameters").ToString();
        Assert.That(createParameters, Does.Contain("send_sms").And.Contain(TriggerNames.ShopifyOrderUpdated));
    }

    [Test]
    public async Task A_scripted_conversation_produces_a_valid_draft_and_saves_it_disabled()
    {
        var workspaceId = await NewWorkspaceAsync();
        await ScriptAsync(Call("check_integrations"), Call("get_trigger_variables", new { trigger = TriggerNames.ShopifyOrderCreated }),
            Call("validate_draft", ValidDraft), Call("create_automation", ValidDraft), Say("Listo: la automatización quedó creada y desactivada."));

        var answer = await AskAsync(workspaceId);

        Assert.That(answer.Draft!.Trigger, Is.EqualTo(TriggerNames.ShopifyOrderCreated));
        Assert.That(answer.Validation!.Valid, Is.True);
        Assert.That(answer.Automation, Is.Not.Null);
        Assert.That(answer.Automation!.Enabled, Is.False);
        using var client = Client(workspaceId);
        var saved = (await client.GetFromJsonAsync<List<JsonElement>>("/api/automations"))!;
        Assert.That(saved.Select(a => (a.GetProperty("name").GetString(), a.GetProperty("enabled").GetBoolean())),
            Is.EqualTo(new[] { ("Confirmación de orden", false) }));

        // Each tool's answer went back to the model: the variables, the validation, the save.
        var requests = await ModelRequestsAsync();
        Assert.That(requests, Has.Count.EqualTo(5));
        var toolAnswers = requests[^1].GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "tool").Select(m => m.GetProperty("content").ToString()).ToList();
        Assert.That(toolAnswers, Has.Count.EqualTo(4));
        Assert.That(toolAnswers[1], Does.Contain("orden.numero"));
        Assert.That(toolAnswers[2], Does.Contain("\"valid\":true"));
        Assert.That(toolAnswers[3], Does.Contain("\"saved\":true"));
    }

    [Test]
    public async Task An_invented_variable_comes_back_as_a_validation_error_and_nothing_is_saved()
    {
        var workspaceId = await NewWorkspaceAsync();
        await ScriptAsync(Call("validate_draft", InventedDraft), Call("create_automation", InventedDraft), Say("Aquí está tu automatización."));

        var answer = await AskAsync(workspaceId);

        Assert.That(answer.Automation, Is.Null);
        Assert.That(answer.Validation!.Valid, Is.False);
        Assert.That(answer.Validation.Errors.Select(e => (e.Field, e.Code)), Is.EqualTo(new[] { ("actions[0].config.body", "unknown_variable") }));
        using var client = Client(workspaceId);
        Assert.That(await client.GetFromJsonAsync<List<JsonElement>>("/api/automations"), Is.Empty);
        var toolAnswers = (await ModelRequestsAsync())[^1].GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "tool").Select(m => m.GetProperty("content").ToString()).ToList();
        Assert.That(toolAnswers, Has.All.Contains("unknown_variable").And.All.Contains("orden.codigo_rastreo"));
        Assert.That(toolAnswers[1], Does.Contain("\"saved\":false"));
    }

    [Test]
    public async Task Without_twilio_the_answer_says_to_configure_it_first()
    {
        var workspaceId = await NewWorkspaceAsync(twilio: false);
        await ScriptAsync(Call("check_integrations"), Call("validate_draft", ValidDraft), Say("Este es el borrador de tu automatización."));

        var answer = await AskAsync(workspaceId);

        Assert.That(answer.Validation!.Errors.Select(e => e.Code), Is.EqualTo(new[] { "twilio_not_configured" }));
        Assert.That(answer.Reply, Does.Contain("Configura Twilio"));
        Assert.That(answer.Automation, Is.Null);
        var checkAnswer = (await ModelRequestsAsync())[1].GetProperty("messages").EnumerateArray()
            .Single(m => m.GetProperty("role").GetString() == "tool").GetProperty("content").ToString();
        Assert.That(checkAnswer, Does.Contain("no configurado"));
    }

    [Test]
    public async Task A_refining_turn_sends_the_conversation_and_the_current_draft_to_the_model()
    {
        var workspaceId = await NewWorkspaceAsync();
        var refined = new
        {
            name = "Confirmación de orden",
            trigger = TriggerNames.ShopifyOrderCreated,
            actions = new[] { SmsAction("Hola {{cliente.nombre}}, tu orden {{orden.numero}} por {{orden.total}} ya está confirmada") },
        };
        await ScriptAsync(Call("validate_draft", refined), Say("Agregué el total al mensaje."));
        using var client = Client(workspaceId);

        var response = await client.PostAsJsonAsync("/api/automations/builder", new
        {
            messages = new[]
            {
                new { role = "user", content = Ask },
                new { role = "assistant", content = "Este es el borrador." },
                new { role = "user", content = "Agrega el total de la orden al mensaje" },
            },
            draft = ValidDraft,
        });
        var answer = (await response.Content.ReadFromJsonAsync<BuilderResponse>(Automations.AutomationJson.Options))!;

        Assert.That(answer.Draft!.Actions![0].Text("body"), Does.Contain("{{orden.total}}"));
        Assert.That(answer.Validation!.Valid, Is.True);
        var sent = (await ModelRequestsAsync())[0].GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").ToString())).ToList();
        Assert.That(sent.Select(m => m.Item1), Is.EqualTo(new[] { "system", "system", "user", "assistant", "user" }));
        Assert.That(sent[1].Item2, Does.Contain("Borrador actual").And.Contain("recibimos tu orden"));
    }

    [Test]
    public async Task A_model_that_never_stops_calling_tools_is_cut_off()
    {
        var workspaceId = await NewWorkspaceAsync();
        await ScriptAsync([.. Enumerable.Repeat(Call("list_triggers"), AutomationBuilder.MaxRounds + 2)]);

        var answer = await AskAsync(workspaceId);

        Assert.That(await ModelRequestsAsync(), Has.Count.EqualTo(AutomationBuilder.MaxRounds));
        Assert.That(answer.Reply, Does.Contain("No pude completar"));
    }

    [Test]
    public async Task Without_a_configured_provider_the_builder_answers_503_and_the_rest_works()
    {
        await using var engine = await RunningService.StartAsync(MorfX.AutomationEngine.Program.Build, TestInfrastructure.ServiceSettings(ResourceNames.EngineDb));
        using var client = engine.CreateClient(Tokens.For(Guid.NewGuid()));

        var response = await client.PostAsJsonAsync("/api/automations/builder", new { messages = new[] { new { role = "user", content = Ask } } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("llm_not_configured"));
        Assert.That((await client.GetAsync("/api/automations/catalog")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    const string ReviewSentence = "dos horas después de cada orden, si no está cancelada, envía un SMS pidiendo una reseña solo a clientes que aceptaron marketing";

    static readonly object ReviewDraft = new
    {
        name = "Reseña dos horas después de la orden",
        trigger = TriggerNames.ShopifyOrderCreated,
        purpose = "marketing",
        conditions = new[] { new { field = "orden.cancelada", @operator = "equals", value = "no" } },
        actions = new object[]
        {
            new { type = "wait", config = new Dictionary<string, object> { ["minutes"] = 120 } },
            SmsAction("Hola {{cliente.nombre}}, ¿nos cuentas cómo te fue con tu orden {{orden.numero}}? Tu reseña nos ayuda mucho."),
        },
    };

    [Test]
    public async Task A_sentence_with_a_wait_a_cancellation_check_and_consent_becomes_a_marketing_automation_that_waits()
    {
        var workspaceId = await NewWorkspaceAsync();
        await ScriptAsync(Call("validate_draft", ReviewDraft), Call("create_automation", ReviewDraft), Say("Listo: quedó creada y desactivada."));

        var answer = await AskAsync(workspaceId, ReviewSentence);

        Assert.That(answer.Validation!.Valid, Is.True, string.Join(" ", answer.Validation.Errors.Select(e => e.Code)));
        using var client = Client(workspaceId);
        var saved = (await client.GetFromJsonAsync<Automations.AutomationDto>($"/api/automations/{answer.Automation!.Id}", Automations.AutomationJson.Options))!;
        Assert.That(saved.Purpose, Is.EqualTo("marketing"));
        Assert.That(saved.Conditions.Select(c => (c.Field, c.Operator, c.Value)), Is.EqualTo(new[] { ("orden.cancelada", "equals", "no") }));
        Assert.That(saved.Actions.Select(a => a.Type), Is.EqualTo(new[] { "wait", "send_sms" }));
        Assert.That(saved.Actions[0].Text("minutes"), Is.EqualTo("120"));

        // What the model is told: the purposes, windows and waits, the cancellation and shipping variables, and this very example.
        var request = (await ModelRequestsAsync())[0];
        var prompt = request.GetProperty("messages")[0].GetProperty("content").ToString();
        Assert.That(prompt, Does.Contain("marketing").And.Contain("sendWindow").And.Contain("\"type\":\"wait\"").And.Contain("orden.cancelada")
            .And.Contain("{{envio.guia}}").And.Contain(ReviewSentence));
        var create = request.GetProperty("tools").EnumerateArray()
            .Single(t => t.GetProperty("function").GetProperty("name").GetString() == "create_automation").GetProperty("function").GetProperty("parameters").ToString();
        Assert.That(create, Does.Contain("\"purpose\"").And.Contain("\"sendWindow\"").And.Contain("wait: minutes (obligatorio)"));
    }
}
