using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>The caps a workspace works within: stated in the catalog, refused with their codes, bounded at run.</summary>
public class CapsTests
{
    static object Draft(int actions, bool enabled = true) => new
    {
        name = $"{actions} acciones", trigger = TriggerNames.CrmContactCreated, enabled,
        actions = Enumerable.Range(0, actions).Select(i => new { type = "create_task", config = new Dictionary<string, object> { ["title"] = $"Tarea {i}" } }).ToArray(),
    };

    static async Task<(int Status, string? Code)> PostAsync(HttpClient client, string path, object? body = null)
    {
        var response = await client.PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        var code = text.Length > 0 && JsonDocument.Parse(text).RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("code", out var c) ? c.GetString() : null;
        return ((int)response.StatusCode, code);
    }

    [Test]
    public async Task The_catalog_states_every_cap()
    {
        using var client = Client(Guid.NewGuid(), "agent");
        var limits = (await client.GetFromJsonAsync<JsonElement>("/api/automations/catalog")).GetProperty("limits");
        Assert.That(limits.GetProperty("maxActionsPerAutomation").GetInt32(), Is.EqualTo(20));
        foreach (var cap in new[] { "templateMaxLength", "renderedMaxLength", "renderTimeout", "maxEnabledAutomationsPerTrigger", "maxFanOutDepth",
                     "maxRunsPerRootEvent", "builderMaxTurns", "builderMaxConversationChars", "builderRequestsPerHour" })
            Assert.That(limits.TryGetProperty(cap, out _), Is.True, cap);
    }

    [Test]
    public async Task Twenty_actions_are_accepted_and_twenty_one_are_refused_with_too_many_actions()
    {
        using var client = Client(await NewWorkspaceAsync());
        Assert.That(await PostAsync(client, "/api/automations/validate", Draft(20)), Is.EqualTo((200, (string?)null)));
        Assert.That(await PostAsync(client, "/api/automations", Draft(21)), Is.EqualTo((400, "too_many_actions")));
    }

    [Test]
    public async Task Enabled_automations_per_trigger_are_capped_and_a_disabled_one_can_wait()
    {
        var workspaceId = await NewWorkspaceAsync();
        using var client = Client(workspaceId);
        for (var i = 0; i < 25; i++)
            Assert.That((await PostAsync(client, "/api/automations", Draft(1))).Status, Is.EqualTo(201));

        Assert.That(await PostAsync(client, "/api/automations", Draft(1)), Is.EqualTo((400, "too_many_enabled_automations")));
        var waiting = await client.PostAsJsonAsync("/api/automations", Draft(1, enabled: false));
        Assert.That(waiting.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.That(await PostAsync(client, $"/api/automations/{id}/enable"), Is.EqualTo((400, "too_many_enabled_automations")));

        var first = await QueryAsync(db => db.Automations.Where(a => a.WorkspaceId == workspaceId && a.Enabled).Select(a => a.Id).FirstAsync());
        Assert.That((await PostAsync(client, $"/api/automations/{first}/disable")).Status, Is.EqualTo(200));
        Assert.That((await PostAsync(client, $"/api/automations/{id}/enable")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Events_fanned_out_from_one_root_start_no_more_runs_than_its_budget()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Contacto nuevo", trigger = TriggerNames.CrmContactCreated,
            actions = new[] { new { type = "create_task", config = new Dictionary<string, object> { ["title"] = "Llamar a {{contacto.nombre}}" } } },
        });
        var root = Guid.NewGuid();
        var limits = new EngineLimitsOptions { MaxRunsPerRootEvent = 2 };

        // Three CRM events fanned out from the same root reach the runner one after another.
        for (var i = 0; i < 3; i++)
        {
            using var scope = Engine.Services.CreateScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<EngineDbContext>();
            var runner = new AutomationRunner(db, services.GetRequiredService<Outbox<EngineDbContext>>(), services.GetRequiredService<FanOutEvents>(),
                services.GetRequiredService<EngineMetrics>(), limits,
                services.GetRequiredService<WorkspaceCache>(),
                NullLogger<AutomationRunner>.Instance);
            var data = TriggerVariables.ForContact(new CrmContact(Guid.NewGuid(), $"Contacto {i}", null, null, []));
            await runner.RunAsync(new TriggerRun(Guid.NewGuid(), workspaceId, TriggerNames.CrmContactCreated, 1, data, null) { RootEventId = root }, default);
            await db.SaveChangesAsync();
        }

        var runs = await QueryAsync(db => db.Runs.Where(r => r.AutomationId == automation.Id).ToListAsync());
        Assert.That(runs, Has.Count.EqualTo(2));
        Assert.That(runs.Select(r => r.RootEventId), Is.All.EqualTo(root));
    }
}
