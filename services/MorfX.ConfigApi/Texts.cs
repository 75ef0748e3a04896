namespace MorfX.ConfigApi;

/// <summary>
/// Every Spanish text config-api shows a merchant (problem details, field errors, integration summaries), in one place so
/// the wording and accents stay consistent. Machine codes stay at their call sites.
/// </summary>
static class Texts
{
    // Twilio settings: field errors.
    public const string AccountSidRequired = "Ingresa el Account SID de Twilio.";
    public const string AccountSidInvalid =
        "El Account SID debe empezar por AC seguido de 32 caracteres hexadecimales; cópialo de la consola de Twilio.";
    public const string AuthTokenRequired = "Ingresa el Auth Token de Twilio.";
    public const string TwilioPhoneRequired = "Ingresa el número de Twilio desde el que se enviarán los SMS.";
    public const string TestPhoneRequired = "Ingresa el número al que enviaremos el SMS de prueba.";
    public const string PhoneInvalid = "El número debe estar en formato E.164, por ejemplo +573001234567.";

    // Twilio settings: refusals.
    public const string TwilioNotConfigured =
        "Este espacio de trabajo no tiene Twilio configurado. Ingresa el Account SID, el Auth Token y el número.";
    public const string ConcurrentUpdate =
        "Otra persona guardó esta configuración al mismo tiempo; recarga la página y guarda de nuevo.";

    // "Probar conexión": sms-sender could not answer.
    public static string TestSmsRateLimited(int permitLimit, double windowMinutes) =>
        $"Ya enviaste {permitLimit} SMS de prueba en los últimos {windowMinutes:0} minutos. Espera unos minutos antes de probar de nuevo.";
    public const string SmsSenderTimeout = "El servicio de envío de SMS no respondió a tiempo. Intenta de nuevo en unos minutos.";
    public const string SmsSenderFailed = "El servicio de envío de SMS falló al procesar la prueba. Intenta de nuevo en unos minutos.";
    public const string SmsSenderUnreachable = "No pudimos contactar el servicio de envío de SMS. Intenta de nuevo en unos segundos.";

    // "Probar conexión": what to fix when sms-sender sent no explanation of its own.
    public const string TestAuthFailed =
        "Twilio rechazó el Account SID o el Auth Token. Cópialos de nuevo desde la consola de Twilio y guarda la configuración.";
    public const string TestTwilioNotConfigured = "Configura primero la integración de Twilio: Account SID, Auth Token y número.";
    public const string TestInvalidPhone =
        "Twilio no acepta ese número de destino. Usa un celular válido en formato E.164, por ejemplo +573001234567.";
    public const string TestTwilioUnreachable = "No pudimos comunicarnos con Twilio. Intenta de nuevo en unos minutos.";
    public const string TestConfigUnavailable =
        "No fue posible leer la configuración de Twilio en este momento. Intenta de nuevo en unos minutos.";
    public const string TestFailed =
        "Twilio no pudo enviar el SMS de prueba. Revisa el número de Twilio configurado y los permisos de tu cuenta.";

    // Shopify settings: field errors.
    public const string ShopDomainRequired = "Ingresa el dominio de tu tienda, por ejemplo mitienda.myshopify.com.";
    public const string ShopDomainInvalid =
        "El dominio debe ser el de Shopify, por ejemplo mitienda.myshopify.com (no el dominio propio de la tienda).";
    public const string AccessTokenRequired = "Ingresa el access token de la Admin API de tu app de Shopify.";
    public const string ClientSecretRequired = "Ingresa el client secret de tu app de Shopify (con él se verifican los webhooks).";
    public const string CountryInvalid =
        "El país debe ser un código ISO de 2 letras de un país compatible, por ejemplo CO, MX, US o ES.";
    public const string AutoSyncRequired = "Indica si las órdenes de Shopify se crean automáticamente (true o false).";

    // Shopify settings: refusals.
    public const string ShopifyNotConfigured =
        "Este espacio de trabajo no tiene una tienda de Shopify conectada. Ingresa el dominio, el access token y el client secret.";
    public const string ShopDomainTaken =
        "Esa tienda de Shopify ya está conectada a otro espacio de trabajo; desconéctala allí primero.";
    public const string AutoSyncNeedsActiveShop =
        "Crear órdenes automáticamente solo está disponible cuando la integración de Shopify está activa. Corrige el error indicado y guarda la configuración de nuevo.";
    public static string WebhooksIncomplete(string? detail) =>
        $"La configuración se guardó, pero no se pudieron crear todos los webhooks de Shopify: {detail}";

    // Shopify Admin API: proving the token belongs to the shop.
    public const string NothingSaved = " No se guardó nada.";
    public static string ShopTokenNotRecognized(string shopDomain) =>
        $"Shopify no reconoció el access token para la tienda {shopDomain}: usa el token de la Admin API de la app instalada en esa tienda. No se guardó nada.";
    public static string OwnershipNotConfirmed(string shopDomain, string detail) =>
        $"No pudimos confirmar con Shopify que el access token es de la tienda {shopDomain}, así que no se guardó nada: {detail}";
    public static string TokenOfAnotherShop(string shopDomain) =>
        $"El access token no pertenece a la tienda {shopDomain}: usa el token de la Admin API de la app instalada en esa tienda. No se guardó nada.";

    // Shopify Admin API: webhook subscriptions and failed calls.
    public static string WebhookRejected(string topic, string message) => $"Shopify rechazó la suscripción {topic}: {message}";
    public const string WebhookNotCreated = "Shopify respondió sin crear la suscripción; intenta guardar de nuevo.";
    public const string ShopifyUnauthorized =
        "Shopify rechazó el access token: revisa que sea el token de la Admin API de tu app y que tenga permisos de órdenes y órdenes en borrador.";
    public const string ShopifyShopNotFound = "Shopify no encontró la tienda: revisa el dominio *.myshopify.com.";
    public const string ShopifyShopUnavailable = "La tienda de Shopify está congelada o bloqueada; reactívala y guarda de nuevo.";
    public const string ShopifyThrottled = "Shopify limitó las solicitudes; guarda de nuevo en un minuto.";
    public const string ShopifyUnavailable = "Shopify no respondió correctamente; intenta guardar de nuevo en unos minutos.";
    public static string ShopifyHttpError(int status) => $"Shopify respondió con el código HTTP {status}; intenta guardar de nuevo.";
    public static string ShopifyRequestRefused(string? message) => "Shopify no aceptó la solicitud: " + message;
    public const string ShopifyUnreachable =
        "No pudimos comunicarnos con Shopify; revisa el dominio de la tienda e intenta de nuevo.";

    // Integrations summary (the settings page).
    public const string TwilioMissing = "Falta configurar Twilio: ingresa el Account SID, el Auth Token y el número para enviar SMS.";
    public const string TwilioFailing = "Twilio rechazó las credenciales: revisa el Account SID y el Auth Token y guarda de nuevo.";
    public const string TwilioReady = "Twilio está configurado.";
    public const string ShopifyMissing = "Falta conectar Shopify: ingresa el dominio de la tienda, el access token y el client secret.";
    public const string ShopifyFailing = "Los webhooks de Shopify no están activos: revisa la configuración y guarda de nuevo.";
    public const string ShopifyReady = "Shopify está conectado.";
    public const string ShopifyNeedsAttention =
        "Shopify ya no acepta el access token guardado (se revocó o se desinstaló la app). Instala la app de nuevo, guarda el nuevo access token y MorfX retomará la revisión de órdenes.";

    // Shopify delivery health: reconciliation and the subscriptions watchdog.
    public const string ShopifyTokenRevoked =
        "Shopify rechazó el access token al revisar las órdenes: se revocó o se desinstaló la app. La revisión de órdenes quedó en pausa hasta que guardes un access token válido.";
    public static string ReconcileFailed(string detail) =>
        "La última revisión de órdenes con Shopify no terminó y se reintentará en el próximo ciclo: " + detail;
    public static string ApiDeprecated(string version, string reason) =>
        $"Shopify avisa que la versión {version} de su Admin API usa funciones obsoletas ({reason}). MorfX debe actualizarse antes de que Shopify las retire; las órdenes siguen llegando.";
    public static string OrdersRecovered(int count) =>
        $"Shopify no entregó por webhook {count} órdenes en las últimas 24 horas; MorfX las recuperó revisando la tienda y ejecutó sus automatizaciones una sola vez.";
    public static string SubscriptionsMissing(string topics) =>
        $"Shopify eliminó la suscripción de webhooks {topics} y no se pudo crear de nuevo; se reintentará en el próximo ciclo.";

    // Messaging settings: field errors.
    public const string MarketingWindowRequired =
        "Indica la ventana de envío de marketing: hora de inicio, hora de fin y días, por ejemplo de 08:00 a 21:00 de lunes a sábado.";
    public const string WindowStartInvalid = "La hora de inicio debe tener el formato HH:MM de 24 horas, entre 00:00 y 23:59, por ejemplo 08:00.";
    public const string WindowEndInvalid = "La hora de fin debe tener el formato HH:MM de 24 horas, entre 00:00 y 23:59, por ejemplo 21:00.";
    public const string WindowEmpty =
        "La hora de inicio y la de fin no pueden ser iguales. Una ventana que cruza la medianoche se escribe con el fin antes del inicio, por ejemplo de 22:00 a 02:00.";
    public const string WindowDaysInvalid =
        "Elige al menos un día, cada uno una sola vez, con estos nombres: mon, tue, wed, thu, fri, sat, sun.";
    public static string FrequencyCapMaxMessagesInvalid(int limit) =>
        $"El límite de mensajes de marketing por cliente debe ser un número entero entre 1 y {limit}.";
    public static string FrequencyCapPeriodDaysInvalid(int limit) =>
        $"El período del límite de mensajes de marketing debe ser un número entero de días entre 1 y {limit}.";

    // SMS opt-outs and customer data requests.
    public const string OptOutNotFound = "Ese número no está dado de baja en este espacio de trabajo.";
    public const string SmsSenderNotAnswering = "El servicio de envío de SMS no respondió. Intenta de nuevo en unos segundos.";
    public const string DataRequestNotFound = "Esa solicitud de datos no existe en este espacio de trabajo.";

    // Internal look-ups by the other services.
    public const string InternalTwilioNotConfigured = "Este espacio de trabajo no tiene Twilio configurado.";
    public const string InternalShopNotConnected = "Esa tienda de Shopify no está conectada a ningún espacio de trabajo.";
    public const string InvalidInternalKey = "Falta la clave interna de servicio o no es válida.";
}
