namespace MorfX.AutomationEngine.Builder;

public record BuilderMessage(string? Role, string? Content);
