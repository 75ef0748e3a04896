using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;

namespace MorfX.AutomationEngine.Catalog;

/// <summary>The catalog as one workspace sees it: every trigger and action, each with its availability there. The wizard and the AI builder read the same.</summary>
public static class WorkspaceCatalog
{
    public static CatalogResponse For(WorkspaceIntegrations integrations, EngineLimitsOptions limits) => new(
        [AutomationCatalog.Crm, AutomationCatalog.WhatsApp, AutomationCatalog.Tareas, AutomationCatalog.Shopify, AutomationCatalog.Twilio, AutomationCatalog.Flujo],
        [.. AutomationCatalog.Triggers.Select(t => new CatalogTrigger(t.Key, t.Label, t.Description, t.Category.Key, t.Category.Label, t.Color,
            t.RequiredIntegration, t.Variables, Availability.Of(t.RequiredIntegration, integrations)))],
        [.. AutomationCatalog.ActionDefinitions.Select(a => new CatalogAction(a.Key, a.Label, a.Description, a.Category.Key, a.Category.Label, a.Color,
            a.RequiredIntegration, a.Fields, Availability.Of(a.RequiredIntegration, integrations)))],
        Operators.All, limits, AutomationCatalog.AutomationSettings);
}
