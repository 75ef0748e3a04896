using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MorfX.LlmEmulator;

/// <summary>
/// An OpenAI-compatible chat-completions endpoint for tests and demos. Listens on http://127.0.0.1:5182 unless
/// urls / ASPNETCORE_URLS say otherwise. `POST /v1/chat/completions` answers with the next scripted response
/// (`POST /_emulator/script`), or a plain Spanish reply when the script is empty, and records every request
/// (`GET /_emulator/requests`); `POST /_emulator/reset` clears both.
/// </summary>
public static class LlmEmulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:5182";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(LlmEmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        configure?.Invoke(builder);
        builder.Services.AddSingleton<Script>();

        var app = builder.Build();
        app.MapPost("/v1/chat/completions", (JsonElement request, Script script) =>
        {
            script.Requests.Enqueue(request.Clone());
            var model = request.TryGetProperty("model", out var m) ? m.GetString() : "emulator";
            var next = script.Responses.TryDequeue(out var scripted) ? scripted : new ScriptedResponse("Entendido.", null);
            return Results.Json(Completion(model, next, Interlocked.Increment(ref script.Counter)));
        });
        app.MapPost("/_emulator/script", (ScriptRequest body, Script script) =>
        {
            foreach (var response in body.Responses) script.Responses.Enqueue(response);
            return Results.Ok(new { queued = script.Responses.Count });
        });
        app.MapGet("/_emulator/requests", (Script script) => Results.Json(script.Requests.ToArray()));
        app.MapPost("/_emulator/reset", (Script script) =>
        {
            script.Responses.Clear();
            script.Requests.Clear();
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>The chat.completion object of the OpenAI API: one choice, with either text or tool calls.</summary>
    static JsonObject Completion(string? model, ScriptedResponse response, int n)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = response.Content };
        if (response.ToolCalls is { Count: > 0 } calls)
            message["tool_calls"] = new JsonArray([.. calls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{n}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = c.Name,
                    // The API sends arguments as a JSON string; a script may give an object for readability.
                    ["arguments"] = c.Arguments is { ValueKind: JsonValueKind.String } s ? s.GetString() : c.Arguments?.GetRawText() ?? "{}",
                },
            })]);
        return new JsonObject
        {
            ["id"] = $"chatcmpl-emulator-{n}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = response.ToolCalls is { Count: > 0 } ? "tool_calls" : "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
        };
    }
}

public record ScriptedToolCall(string Name, JsonElement? Arguments);

public record ScriptedResponse(string? Content, List<ScriptedToolCall>? ToolCalls);

public record ScriptRequest(List<ScriptedResponse> Responses);

public sealed class Script
{
    public readonly ConcurrentQueue<ScriptedResponse> Responses = new();
    public readonly ConcurrentQueue<JsonElement> Requests = new();
    public int Counter;
}
