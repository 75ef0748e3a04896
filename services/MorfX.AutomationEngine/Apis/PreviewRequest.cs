using System.Text.Json;

namespace MorfX.AutomationEngine.Apis;

public record PreviewRequest(string? Trigger, string? Template, JsonElement? Data);
