using System.Net.Http.Json;
using System.Text.Json;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>The AI builder's caps: turns and characters per request, requests per workspace per hour (5 in these tests).</summary>
public class BuilderCapsTests
{
    [SetUp]
    public async Task ScriptReplies()
    {
        using var client = Llm.CreateClient();
        (await client.PostAsync("/_emulator/reset", null)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/_emulator/script", new { responses = Enumerable.Repeat(new { content = "¿Qué quieres automatizar?" }, 10) })).EnsureSuccessStatusCode();
    }

    static async Task<(int Status, string? Code)> AskAsync(Guid workspaceId, IEnumerable<object> messages)
    {
        using var client = Client(workspaceId);
        var response = await client.PostAsJsonAsync("/api/automations/builder", new { messages });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, body.TryGetProperty("code", out var c) ? c.GetString() : null);
    }

    static object User(string content) => new { role = "user", content };

    [Test]
    public async Task Too_many_turns_or_characters_in_one_request_are_refused_before_the_model_is_called()
    {
        var workspaceId = Guid.NewGuid();
        var turns = Enumerable.Range(0, 31).Select(i => i % 2 == 0 ? User("hola") : new { role = "assistant", content = "dime" }).ToList();
        Assert.That(await AskAsync(workspaceId, turns), Is.EqualTo((400, "builder_too_many_turns")));
        Assert.That(await AskAsync(workspaceId, [User(new string('a', 20_001))]), Is.EqualTo((400, "builder_conversation_too_long")));

        using var llm = Llm.CreateClient();
        Assert.That(await llm.GetFromJsonAsync<List<JsonElement>>("/_emulator/requests"), Is.Empty);
    }

    [Test]
    public async Task A_workspace_gets_its_hourly_builder_requests_and_then_429_while_another_workspace_still_gets_answers()
    {
        var busy = Guid.NewGuid();
        for (var i = 0; i < 5; i++)
            Assert.That((await AskAsync(busy, [User("Quiero un SMS por orden")])).Status, Is.EqualTo(200), $"request {i + 1}");

        Assert.That(await AskAsync(busy, [User("Quiero un SMS por orden")]), Is.EqualTo((429, "builder_rate_limited")));
        Assert.That((await AskAsync(Guid.NewGuid(), [User("Quiero un SMS por orden")])).Status, Is.EqualTo(200));
    }
}
