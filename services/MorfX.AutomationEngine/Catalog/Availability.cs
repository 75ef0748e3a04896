using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>Whether the workspace can use a trigger or action now, and if not, the code and Spanish reason (a missing integration).</summary>
public record Availability(bool Available, string? Code, string? Reason)
{
    public static Availability Of(string? requiredIntegration, WorkspaceIntegrations integrations) =>
        AutomationValidator.Blocked(requiredIntegration, integrations) is { } b ? new(false, b.Code, b.Detail) : new(true, null, null);
}
