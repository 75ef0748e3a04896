namespace MorfX.Rules;

/// <summary>
/// Every Spanish text of the shared rules (the reasons merchants read in the run history), in one place so the wording
/// and accents stay consistent. The codes stay in their tables (TwilioErrorCodes).
/// </summary>
static class Texts
{
    // Twilio refusals and delivery failures, by error code.
    public const string AuthenticationFailed =
        "Twilio rechazó las credenciales del espacio de trabajo (error 20003): revisa el Account SID y el Auth Token.";
    public const string InvalidToNumber = "Twilio indica que el número de destino no es válido (error 21211).";
    public const string RegionNotEnabled =
        "La cuenta de Twilio no tiene permiso para enviar SMS a la región de ese número (error 21408).";
    public const string Unsubscribed =
        "El destinatario se dio de baja respondiendo STOP (error 21610): no se le volverá a escribir hasta que responda START.";
    public const string NotMobile = "El número de destino no es un celular que pueda recibir SMS (error 21614).";
    public const string UnreachableHandset =
        "El teléfono del destinatario no estaba disponible (error 30003); MorfX lo intenta de nuevo más tarde.";
    public const string UnknownDestination = "El número de destino no existe o ya no está en servicio (error 30005).";
    public const string Landline = "El número de destino es un teléfono fijo y no recibe SMS (error 30006).";
    public const string FilteredAsSpam = "El operador filtró el mensaje como spam (error 30007).";
    public const string UnknownError =
        "El operador no entregó el mensaje por un error desconocido (error 30008); MorfX lo intenta de nuevo más tarde.";
    public static string TwilioRefused(int code) => $"Twilio rechazó el mensaje (error {code}).";
    public const string TwilioRefusedNoCode = "Twilio rechazó el mensaje.";
}
