using MorfX.Rules;
namespace MorfX.AutomationEngine;

/// <summary>
/// Every Spanish text of the automation engine a user reads: problem and field-error details, and the reasons a run or
/// step failed. Codes stay beside the code that decides them; the catalog's labels stay in the catalog, and the AI
/// builder's instructions to the model stay in BuilderTools.
/// </summary>
static class Texts
{
    // Integrations a trigger or action needs.
    public const string TwilioNotConfigured = "Configura Twilio en Integraciones antes de enviar SMS.";
    public const string ShopifyNotConfigured = "Conecta tu tienda de Shopify (con su webhook activo) en Integraciones antes de usar este disparador.";
    public static string IntegrationNotConfigured(string integration) => $"Configura la integración {integration} primero.";

    // Validating a draft: name, trigger, conditions, actions.
    public const string NameRequired = "Ponle un nombre a la automatización.";
    public const string TriggerRequired = "Elige un disparador.";
    public static string UnknownTrigger(string? trigger) => $"El disparador '{trigger}' no existe en el catálogo.";
    public const string ActionsRequired = "Agrega al menos una acción.";
    public static string TooManyActions(int count, int max) => $"La automatización tiene {count} acciones; el máximo es {max}.";
    public static string TooManyEnabledAutomations(int others, int max) =>
        $"Ya hay {others} automatizaciones activas con este disparador; el máximo es {max}. Desactiva alguna o guárdala desactivada.";
    public static string UnknownConditionVariable(string? field, string triggerLabel) =>
        $"La variable '{field}' no existe para el disparador {triggerLabel}.";
    public static string InvalidOperator(string? op, string allowed) => $"El operador '{op}' no es válido; usa uno de: {allowed}.";
    public const string ChangedToNotSupported = "\"Cambió a\" solo se puede usar con el disparador Orden actualizada en Shopify.";
    public const string ValueRequired = "Indica el valor con el que se compara.";
    public const string ConditionValueNotNumber = "El valor debe ser un número (por ejemplo 100000 o 59.90).";
    public static string UnknownAction(string? action) => $"La acción '{action}' no existe en el catálogo.";
    public static string UnknownField(string actionLabel, string key) => $"La acción {actionLabel} no tiene el campo '{key}'.";
    public static string FieldRequired(string fieldLabel) => $"Falta el campo {fieldLabel}.";
    public static string FieldTooLong(string fieldLabel, int length, int? max) => $"{fieldLabel} tiene {length} caracteres; el máximo es {max}.";
    public static string FieldTemplateRefused(string fieldLabel, string detail) => $"{fieldLabel}: {detail}";
    public static string FieldTemplateInvalid(string fieldLabel, string syntax) => $"La plantilla de {fieldLabel} no es válida: {syntax}";
    public static string UnknownTemplateVariable(string variable, string triggerLabel) =>
        $"La variable {{{{{variable}}}}} no existe para el disparador {triggerLabel}.";
    public static string FieldPhoneInvalid(string value) =>
        $"'{value}' no es un teléfono válido: usa formato internacional (+573001234567) o una variable como {{{{cliente.telefono}}}}.";
    public static string FieldUrlInvalid(string value) => $"'{value}' no es una URL válida: debe empezar por http:// o https://.";
    public static string FieldNotNumber(string fieldLabel) => $"{fieldLabel} debe ser un número.";

    // Templates: bounds, rendering and preview.
    public static string TemplateTooLong(int length, int max) => $"La plantilla tiene {length} caracteres; el máximo es {max}.";
    public const string TemplatePartials = "Las plantillas no admiten parciales ({{> …}} ni {{#*inline}}).";
    public const string TemplateNestedEach = "Solo se permite un nivel de {{#each}}: no pongas un {{#each}} dentro de otro.";
    public static string TemplateTooNested(int maxDepth) => $"La plantilla anida más de {maxDepth} bloques ({{{{#if}}}}, {{{{#each}}}}…).";
    public static string TemplateOutputTooLong(int max) => $"La plantilla produce más de {max} caracteres con estos datos.";
    public static string TemplateTooSlow(TimeSpan budget) => $"La plantilla tardó más de {budget.TotalMilliseconds:0} ms en generarse con estos datos.";
    public static string TemplateInvalid(string syntax) => $"La plantilla no es válida: {syntax}";
    public const string PreviewChooseTrigger = "Elige un disparador del catálogo.";
    public const string PreviewTemplateRequired = "Falta la plantilla a previsualizar.";
    public static string PreviewDataTooLarge(int max) => $"Los datos de ejemplo tienen una lista de más de {max} elementos.";
    public static string PreviewDataListLimit(int max) => $"Usa como máximo {max} elementos por lista.";

    // Runs: why the trigger or a step failed or was skipped.
    public const string InvalidTriggerData =
        "El evento trajo datos que no se pueden guardar (texto o números fuera de rango): la automatización no se ejecutó.";
    public static string ActionNoLongerExists(string? action) => $"La acción '{action}' ya no existe en el catálogo.";
    public const string SmsTwilioNotConfigured = "Twilio no está configurado en este espacio de trabajo: el SMS no se envió.";
    public const string SmsTwilioUnreachable = "No fue posible comunicarse con Twilio: el SMS no se envió.";
    public const string SmsNotSent = "El SMS no se pudo enviar.";
    public const string SmsRecipientUnsubscribed = "El destinatario se dio de baja de los SMS de este espacio de trabajo: el mensaje no se envió.";
    public const string SmsAutomationDisabled = "La automatización se desactivó o se eliminó antes de que Twilio recibiera el mensaje: no se envió.";
    public const string SmsExpired = "El mensaje no salió a tiempo (por ejemplo, durante una caída larga) y pasó más de un día desde su hora de envío: no se envió.";
    public const string NoMarketingConsent = "El destinatario no aceptó recibir marketing por SMS (ni en Shopify ni respondiendo ALTA o START): el mensaje no se envió.";
    public static string FrequencyCapped(int max, int days) =>
        $"El destinatario ya recibió {max} SMS de marketing en los últimos {days} días (límite del espacio de trabajo): el mensaje no se envió.";
    public const string OrderCancelled = "La orden se canceló durante la espera: la automatización no siguió.";
    public const string ConditionsNoLongerMet = "Las condiciones de la automatización ya no se cumplen con el último estado de la orden: no siguió.";
    public static string WaitLimitReached(int max) =>
        $"El espacio de trabajo ya tiene {max} ejecuciones en espera (el máximo): esta no pudo esperar.";
    public static string WaitingUntil(DateTimeOffset resumeAt) => $"En espera hasta {resumeAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.";
    public static string HeldByWindow(DateTimeOffset resumeAt) =>
        $"Fuera de la ventana de envío: el SMS sale cuando abre, a las {resumeAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.";
    public static string InvalidPurpose(string purpose) => $"El tipo '{purpose}' no existe: usa 'transactional' o 'marketing'.";
    public static string SendWindowInvalid(string problem) => problem switch
    {
        WeeklyWindow.Codes.InvalidStart => "La hora de inicio de la ventana debe tener el formato HH:MM (de 00:00 a 23:59).",
        WeeklyWindow.Codes.InvalidEnd => "La hora de fin de la ventana debe tener el formato HH:MM (de 00:00 a 23:59).",
        WeeklyWindow.Codes.EmptyWindow => "La ventana de envío debe terminar a una hora distinta de la de inicio.",
        _ => "Los días de la ventana deben ser al menos uno, sin repetir, entre mon, tue, wed, thu, fri, sat y sun.",
    };
    public static string WaitMinutesInvalid(int max) => $"Los minutos de espera deben ser un número entero entre 1 y {max} (30 días).";
    public static string SmsRenderedTooLong(int renderedMax, int smsMax) =>
        $"Con los datos de este evento el mensaje supera los {renderedMax} caracteres y Twilio admite {smsMax}: no se envió.";
    public static string SmsBodyTooLong(int length, int smsMax) =>
        $"Con los datos de este evento el mensaje tiene {length} caracteres y Twilio admite {smsMax}: no se envió.";
    public const string SmsNoPhone = "El evento no trae ningún teléfono para el destinatario: el SMS no se envió.";
    public static string RecipientPhoneInvalid(string redacted) => $"El destinatario '{redacted}' no es un teléfono válido.";
    public const string MessageEmpty = "El mensaje quedó vacío con los datos de este evento.";
    public static string UrlInvalid(string url) => $"'{url}' no es una URL válida.";
    public static string PhoneInvalid(string redacted) => $"'{redacted}' no es un teléfono válido.";
    public const string ContactToUpdateNotFound = "El contacto a actualizar no existe en este espacio de trabajo.";
    public const string DuplicateContact = "Otro contacto de este espacio de trabajo ya tiene ese teléfono o email.";
    public static string TotalNotNumber(string total) => $"El total '{total}' no es un número.";
    public const string OrderContactNotFound = "El contacto de la orden no existe en este espacio de trabajo.";
    public const string ContactNotFound = "El contacto no existe en este espacio de trabajo.";
    public const string TagEmpty = "La etiqueta quedó vacía con los datos de este evento.";
    public const string TaskTitleEmpty = "El título de la tarea quedó vacío con los datos de este evento.";
    public const string CustomerDataRedacted = "Datos del cliente eliminados a pedido de Shopify.";

    // The automations API.
    public const string AutomationNotFound = "La automatización no existe.";
    public const string RunNotFound = "La ejecución no existe.";

    // The AI builder: its API, the answers of its tools, and its fallback reply.
    public const string LlmNotConfigured =
        "El asistente de IA no está configurado en este servidor (falta Llm:Endpoint y Llm:Model). El resto de las automatizaciones funciona normalmente.";
    public const string BuilderMessageRequired = "Envía la conversación terminando con un mensaje del usuario.";
    public const string BuilderInvalidRole = "El rol debe ser 'user' o 'assistant'.";
    public const string BuilderMessageEmpty = "El mensaje está vacío.";
    public static string BuilderTooManyTurns(int count, int max) =>
        $"La conversación tiene {count} mensajes; el máximo por solicitud es {max}. Empieza una nueva con el borrador actual.";
    public static string BuilderConversationTooLong(int characters, int max) =>
        $"La conversación tiene {characters} caracteres; el máximo por solicitud es {max}.";
    public static string BuilderRateLimited(int perHour) =>
        $"Este espacio de trabajo ya hizo {perHour} solicitudes al asistente en la última hora; intenta más tarde.";
    public const string LlmUnavailable = "El proveedor de IA no respondió correctamente; intenta de nuevo en unos segundos.";
    public static string BuilderUnknownTrigger(string? trigger) => $"El disparador '{trigger}' no existe.";
    public const string BuilderInvalidArguments = "Los argumentos no son un borrador JSON válido.";
    public static string BuilderUnknownTool(string tool) => $"La herramienta '{tool}' no existe.";
    public const string BuilderNoDraft =
        "No pude completar el borrador en esta respuesta. Revisa los errores indicados o describe la automatización con más detalle.";
}
