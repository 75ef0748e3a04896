namespace MorfX.WebhookIngest;

/// <summary>
/// Every Spanish text webhook-ingest answers with (problem details for refused deliveries), in one place so the wording
/// and accents stay consistent. Machine codes stay at their call sites.
/// </summary>
static class Texts
{
    // Shopify webhooks.
    public const string ShopifySignatureInvalid = "La firma HMAC del webhook de Shopify no es válida para la tienda indicada.";
    public static string ShopifyPayloadTooLarge(long maxBytes) => $"El webhook supera el tamaño máximo de {maxBytes} bytes.";
    public const string ShopLookupUnavailable = "No se pudo consultar la configuración de la tienda; Shopify reintentará el envío.";
    public static string UnsupportedTopic(string? topic) =>
        $"El tema de webhook '{topic}' no es compatible; se aceptan orders/create, orders/updated, draft_orders/create y los de cumplimiento de Shopify.";
    public const string ShopifyBodyNotUtf8 = "El cuerpo del webhook no es texto UTF-8 válido.";
    public const string ShopifyBodyNotJson = "El cuerpo del webhook no es JSON válido.";
    public const string ShopifyBodyNotObject = "El cuerpo del webhook debe ser un objeto JSON.";
    public const string EventNotRecorded = "No se pudo registrar el evento; Shopify reintentará el envío.";

    // Every anonymous webhook route.
    public const string TooManyRefusals =
        "Se rechazaron demasiadas solicitudes de este origen en poco tiempo; vuelva a intentarlo más tarde.";

    // Twilio webhooks (status callbacks and inbound SMS).
    public const string TwilioSignatureInvalid = "La firma X-Twilio-Signature no es válida.";
    public const string TwilioContentTypeInvalid =
        "La notificación de Twilio debe venir como formulario (application/x-www-form-urlencoded) o JSON.";
    public const string TwilioPayloadTooLarge = "El cuerpo de la notificación de Twilio es demasiado grande.";
    public const string TwilioBodyUnreadable = "No se pudo leer el cuerpo de la notificación de Twilio.";
    public const string TwilioLookupUnavailable = "No se pudo consultar la configuración de Twilio; Twilio reintentará.";
    public const string CallbackMissingFields = "La notificación de Twilio no trae MessageSid y MessageStatus.";
    public const string CallbackNotAccepted = "No se pudo registrar la notificación de Twilio; Twilio reintentará.";
    public const string InboundMissingFields = "El mensaje entrante de Twilio no trae MessageSid y From.";
}
