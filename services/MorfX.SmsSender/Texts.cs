namespace MorfX.SmsSender;

/// <summary>
/// Every Spanish text sms-sender produces (the test SMS and the explanations of its result), in one place so the wording
/// and accents stay consistent. Machine codes stay at their call sites.
/// </summary>
static class Texts
{
    // Without accents on purpose: "ó" is outside GSM-7, and one such letter makes Twilio send (and charge) the SMS as UCS-2.
    public const string TestSmsBody = "MorfX: conexion Twilio verificada correctamente";

    // "Probar conexión": why the test SMS was not sent.
    public const string TestInvalidPhone =
        "El número de destino no es válido: escríbelo en formato internacional, por ejemplo +573001234567.";
    public const string TestConfigUnavailable =
        "No fue posible leer la configuración de Twilio en este momento. Intenta de nuevo en unos minutos.";
    public const string TestRecipientOptedOut =
        "Ese número se dio de baja de los mensajes de este espacio de trabajo: no se le envió la prueba.";
    public const string TestTwilioNotConfigured =
        "Twilio no está configurado en este espacio de trabajo: guarda el Account SID, el Auth Token y el número antes de probar.";
    public const string TestTwilioUnreachable = "No fue posible comunicarse con Twilio. Intenta de nuevo en unos minutos.";

    // "Probar conexión": Twilio refused the test SMS, by error code.
    public const string TestAuthFailed = "Twilio rechazó las credenciales (error 20003). Revisa el Account SID y el Auth Token.";
    public const string TestInvalidToNumber = "Twilio indica que el número de destino no es válido (error 21211).";
    public const string TestNotMobile = "El número de destino no es un celular que pueda recibir SMS (error 21614).";
    public const string TestRegionNotEnabled =
        "Tu cuenta de Twilio no tiene permiso para enviar SMS a la región de ese número (error 21408).";
    public const string TestUnsubscribed = "El destinatario se dio de baja de tus mensajes respondiendo STOP (error 21610).";
    public static string TestSenderNumberUnusable(int? twilioCode) =>
        $"El número de Twilio configurado no puede enviar SMS (error {twilioCode}). Revisa que pertenezca a tu cuenta y tenga SMS habilitado.";
    public static string TestTwilioRefused(int code) => $"Twilio rechazó el mensaje (error {code}).";
    public const string TestTwilioRefusedNoCode = "Twilio rechazó el mensaje.";
}
