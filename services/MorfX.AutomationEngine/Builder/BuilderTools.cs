using System.Text.Json;
using System.Text.Json.Nodes;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Catalog;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.ServiceDefaults;
using OpenAI.Chat;

namespace MorfX.AutomationEngine.Builder;

/// <summary>
/// The AI builder's tools and system prompt, generated from the catalog at run time: a trigger or action added
/// there is known to the builder with no other change. The workspace always comes from the caller's token,
/// never from the model's arguments.
/// </summary>
public static class BuilderTools
{
    public const string ListTriggers = "list_triggers";
    public const string ListActions = "list_actions";
    public const string GetTriggerVariables = "get_trigger_variables";
    public const string CheckIntegrations = "check_integrations";
    public const string ValidateDraft = "validate_draft";
    public const string CreateAutomation = "create_automation";

    static BinaryData Schema(JsonObject schema) => BinaryData.FromString(schema.ToJsonString());

    static JsonObject NoParameters() => new() { ["type"] = "object", ["properties"] = new JsonObject() };

    static JsonArray Enum(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);

    /// <summary>The JSON schema of a draft, with the catalog's keys as enums and each action's fields described.</summary>
    static JsonObject DraftSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string", ["description"] = "Nombre corto de la automatización, en español" },
            ["trigger"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(AutomationCatalog.Triggers.Select(t => t.Key)) },
            ["purpose"] = new JsonObject
            {
                ["type"] = "string", ["enum"] = Enum(Purposes.All),
                ["description"] = "transactional (por defecto): avisos de la orden; marketing: promociones o reseñas, solo a quien aceptó marketing por SMS y dentro de la ventana de envío",
            },
            ["sendWindow"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Horario de envío en la hora local del destinatario (opcional; sin ella, marketing usa la ventana del espacio de trabajo)",
                ["properties"] = new JsonObject
                {
                    ["start"] = new JsonObject { ["type"] = "string", ["description"] = "HH:MM" },
                    ["end"] = new JsonObject { ["type"] = "string", ["description"] = "HH:MM; antes del inicio si cruza la medianoche" },
                    ["days"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(MorfX.Rules.WeeklyWindow.DayNames) } },
                },
                ["required"] = new JsonArray("start", "end", "days"),
            },
            ["conditions"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["field"] = new JsonObject { ["type"] = "string", ["description"] = "Ruta de una variable del disparador, p. ej. orden.estado_pago" },
                        ["operator"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(Operators.All) },
                        ["value"] = new JsonObject { ["type"] = "string" },
                    },
                    ["required"] = new JsonArray("field", "operator"),
                },
            },
            ["actions"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["type"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(AutomationCatalog.ActionDefinitions.Select(a => a.Key)) },
                        ["config"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["description"] = "Campos de la acción: " + string.Join("; ", AutomationCatalog.ActionDefinitions.Select(a =>
                                $"{a.Key}: {string.Join(", ", a.Fields.Select(f => f.Key + (f.Required ? " (obligatorio)" : "")))}")),
                        },
                    },
                    ["required"] = new JsonArray("type", "config"),
                },
            },
        },
        ["required"] = new JsonArray("name", "trigger", "actions"),
    };

    public static IReadOnlyList<ChatTool> Definitions() =>
    [
        ChatTool.CreateFunctionTool(ListTriggers, "Lista los disparadores del catálogo con su categoría y si están disponibles en este espacio de trabajo.", Schema(NoParameters())),
        ChatTool.CreateFunctionTool(ListActions, "Lista las acciones del catálogo con sus campos y si están disponibles.", Schema(NoParameters())),
        ChatTool.CreateFunctionTool(GetTriggerVariables, "Devuelve las variables {{…}} de un disparador, con un valor de ejemplo.", Schema(new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["trigger"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(AutomationCatalog.Triggers.Select(t => t.Key)) } },
            ["required"] = new JsonArray("trigger"),
        })),
        ChatTool.CreateFunctionTool(CheckIntegrations, "Indica si Twilio y Shopify están configurados en este espacio de trabajo.", Schema(NoParameters())),
        ChatTool.CreateFunctionTool(ValidateDraft, "Valida un borrador de automatización como lo hace el asistente de la aplicación; devuelve los errores.", Schema(DraftSchema())),
        ChatTool.CreateFunctionTool(CreateAutomation, "Guarda la automatización (desactivada) solo cuando el usuario pidió crearla y el borrador es válido.", Schema(DraftSchema())),
    ];

    /// <summary>The system prompt: the rules and the whole catalog, with every trigger's variables and every action's fields.</summary>
    public static string SystemPrompt(EngineLimitsOptions limits)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("Eres el asistente de automatizaciones de MorfX, un CRM. Ayudas a crear automatizaciones: un disparador, condiciones opcionales y acciones.");
        text.AppendLine("Reglas: responde siempre en español; usa solo disparadores, acciones y variables del catálogo; los textos de SMS y WhatsApp van en español y usan variables reales del disparador elegido ({{ruta}}, y {{#each orden.productos}}…{{/each}} para los productos);");
        text.AppendLine("para enviar al cliente usa {{cliente.telefono}} (o {{contacto.telefono}}); valida cada borrador con validate_draft y corrige los errores antes de mostrarlo; llama create_automation solo si el usuario pide guardarla; se guarda desactivada.");
        text.AppendLine("Si falta una integración (Twilio para send_sms, Shopify para sus disparadores), díselo al usuario y explica que debe configurarla en Integraciones.");
        text.AppendLine($"Límites: como máximo {limits.MaxActionsPerAutomation} acciones por automatización; plantillas de hasta {limits.TemplateMaxLength} caracteres, con un solo nivel de {{{{#each}}}} (nunca un {{{{#each}}}} dentro de otro) y sin parciales.");
        text.AppendLine();
        text.AppendLine("Disparadores:");
        foreach (var t in AutomationCatalog.Triggers)
            text.AppendLine($"- {t.Key} ({t.Category.Label}): {t.Label}. Variables: {string.Join(", ", t.Variables.Select(v =>
                v.IsList ? $"{{{{{v.Path}}}}} (lista; cada elemento: {string.Join(", ", v.Items!.Select(i => i.Path))})" : $"{{{{{v.Path}}}}}"))}");
        text.AppendLine();
        text.AppendLine("Acciones:");
        foreach (var a in AutomationCatalog.ActionDefinitions)
            text.AppendLine($"- {a.Key} ({a.Category.Label}){(a.RequiredIntegration is { } i ? $", requiere {i}" : "")}: {a.Label}. Campos: {string.Join(", ", a.Fields.Select(f =>
                $"{f.Key} ({f.Type}{(f.Required ? ", obligatorio" : "")})"))}");
        text.AppendLine();
        text.AppendLine($"Operadores de condición: {string.Join(", ", Operators.All)} (changed_to solo con {MorfX.Contracts.TriggerNames.ShopifyOrderUpdated}).");
        text.AppendLine();
        text.AppendLine("Tipo y horario: purpose es \"transactional\" (por defecto: confirmaciones, envíos, avisos de la orden) o \"marketing\" (promociones, reseñas, " +
            "recuperación de clientes: solo llega a quien aceptó marketing por SMS, en Shopify o respondiendo ALTA o START). sendWindow " +
            "({\"start\":\"HH:MM\",\"end\":\"HH:MM\",\"days\":[\"mon\",…]}) limita el horario en la hora local del destinatario; fuera de él el SMS espera, " +
            "no se pierde. Sin sendWindow, marketing usa la ventana del espacio de trabajo (08:00 a 21:00, lunes a sábado, si no se cambió).");
        text.AppendLine($"Esperas: la acción wait ({{\"type\":\"wait\",\"config\":{{\"minutes\":N}}}}, N entero de 1 a {AutomationCatalog.MaxWaitMinutes}) retrasa las acciones siguientes; " +
            "al terminar se revisan otra vez las condiciones con el último estado de la orden, y una orden cancelada no sigue. \"Si no está cancelada\" es la condición orden.cancelada equals no.");
        text.AppendLine("Ejemplo: \"dos horas después de cada orden, si no está cancelada, envía un SMS pidiendo una reseña solo a clientes que aceptaron marketing\" es " +
            $"trigger {MorfX.Contracts.TriggerNames.ShopifyOrderCreated}, purpose marketing, conditions [orden.cancelada equals no], actions [wait 120, send_sms a {{{{cliente.telefono}}}} pidiendo la reseña].");
        return text.ToString();
    }

    /// <summary>What one tool call did: its JSON answer for the model, and the draft it carried (if any).</summary>
    public record ToolResult(string Json, AutomationDraft? Draft, IReadOnlyList<FieldError>? Errors, Automation? Created);

    public static async Task<ToolResult> ExecuteAsync(
        string name, BinaryData arguments, Guid workspaceId, EngineDbContext db, AutomationStore store, EngineLimitsOptions limits, bool mayCreate,
        CancellationToken ct)
    {
        var integrations = await db.IntegrationsOfAsync(workspaceId, ct);
        switch (name)
        {
            case ListTriggers:
                return Answer(WorkspaceCatalog.For(integrations, limits).Triggers.Select(t => new { t.Key, t.Label, t.Category, t.RequiredIntegration, t.Availability }));
            case ListActions:
                return Answer(WorkspaceCatalog.For(integrations, limits).Actions.Select(a => new { a.Key, a.Label, a.Category, a.RequiredIntegration, a.Fields, a.Availability }));
            case GetTriggerVariables:
                var key = Parse<JsonElement>(arguments) is { ValueKind: JsonValueKind.Object } args && args.TryGetProperty("trigger", out var k) ? k.GetString() : null;
                return AutomationCatalog.Trigger(key) is { } trigger
                    ? Answer(new { trigger = trigger.Key, variables = trigger.Variables })
                    : Answer(new { error = AutomationValidator.Codes.UnknownTrigger, detail = Texts.BuilderUnknownTrigger(key) });
            case CheckIntegrations:
                return Answer(new
                {
                    twilio = integrations.TwilioActive ? "configurado" : "no configurado: send_sms no se puede usar hasta configurar Twilio en Integraciones",
                    shopify = integrations.ShopifyActive ? "configurado" : "no configurado: los disparadores de Shopify no se pueden usar hasta conectar la tienda",
                    autoSyncOrders = integrations.AutoSyncOrders,
                });
            case ValidateDraft:
            case CreateAutomation:
                if (Parse<AutomationDraft>(arguments) is not { } draft)
                    return Answer(new { valid = false, error = "invalid_arguments", detail = Texts.BuilderInvalidArguments });
                if (name == ValidateDraft || !mayCreate)
                {
                    var errors = AutomationValidator.Validate(draft, integrations, limits);
                    return new(Json(new { valid = errors.Count == 0, errors, saved = false }), draft, errors, null);
                }
                // The one save path (validation included), in the caller's workspace, disabled until the user enables it.
                var (created, refused) = await store.CreateAsync(workspaceId, draft, enabled: false, ct);
                return new(Json(new { valid = created is not null, errors = refused, saved = created is not null, automationId = created?.Id, enabled = false }),
                    draft, refused, created);
            default:
                return Answer(new { error = "unknown_tool", detail = Texts.BuilderUnknownTool(name) });
        }
    }

    static ToolResult Answer(object value) => new(Json(value), null, null, null);

    static string Json(object value) => JsonSerializer.Serialize(value, AutomationJson.Options);

    static T? Parse<T>(BinaryData arguments)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(arguments.ToString(), AutomationJson.Options);
        }
        catch (JsonException) { return default; }
    }
}
