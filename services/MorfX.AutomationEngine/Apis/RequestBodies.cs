using System.Text.Json;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Builder;
using MorfX.Contracts;

namespace MorfX.AutomationEngine.Apis;

/// <summary>The request examples the OpenAPI document shows: what the wizard and the builder send, merchant text in Spanish.</summary>
static class RequestBodies
{
    public static readonly AutomationDraft Automation = new(
        "Confirmación de pedido", TriggerNames.ShopifyOrderCreated,
        [new Condition("orden.total", Operators.GreaterThan, "50000")],
        [new ActionStep("send_sms", new()
        {
            ["to"] = JsonSerializer.SerializeToElement("{{cliente.telefono}}"),
            ["body"] = JsonSerializer.SerializeToElement("Hola {{cliente.nombre}}, recibimos tu pedido {{orden.numero}} por {{orden.total}}."),
        })],
        Enabled: true, Purpose: Purposes.Transactional);

    public static readonly PreviewRequest Preview = new(TriggerNames.ShopifyOrderCreated,
        "Hola {{cliente.nombre}}, tu pedido {{orden.numero}} va en camino.", null);

    public static readonly BuilderRequest Builder = new(
        [new BuilderMessage("user", "Cuando llegue un pedido de Shopify, envía un SMS al cliente agradeciendo su compra.")]);
}
