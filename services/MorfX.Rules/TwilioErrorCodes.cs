namespace MorfX.Rules;

/// <summary>
/// Twilio's error codes as MorfX handles them (docs/protocols.md, "Errors by code"), with the Spanish reason the merchant reads
/// in the run history: the one table sms-sender (what to retry) and the engine (what to show) share.
/// </summary>
public static class TwilioErrorCodes
{
    public const int AuthenticationFailed = 20003;
    public const int TooManyRequests = 20429;
    public const int InvalidToNumber = 21211;
    public const int RegionNotEnabled = 21408;
    public const int Unsubscribed = 21610;
    public const int NotMobile = 21614;
    public const int UnreachableHandset = 30003;
    public const int UnknownDestination = 30005;
    public const int Landline = 30006;
    public const int FilteredAsSpam = 30007;
    public const int UnknownError = 30008;

    /// <summary>Refusals that sending again cannot cure: the step fails with its code and is never retried.</summary>
    public static bool IsPermanent(int? code) => code is AuthenticationFailed or InvalidToNumber or RegionNotEnabled
        or Unsubscribed or NotMobile or UnknownDestination or Landline or FilteredAsSpam;

    /// <summary>Delivery failures that are often transient: worth another message later, with backoff.</summary>
    public static bool IsRetryableDelivery(int? code) => code is UnreachableHandset or UnknownError;

    /// <summary>Never processed by Twilio: always safe to send again (after Retry-After).</summary>
    public static bool IsRateLimit(int httpStatus, int? code) => httpStatus == 429 || code == TooManyRequests;

    public static string SpanishReason(int? code) => code switch
    {
        AuthenticationFailed => "Twilio rechazó las credenciales del espacio de trabajo (error 20003): revisa el Account SID y el Auth Token.",
        InvalidToNumber => "Twilio indica que el número de destino no es válido (error 21211).",
        RegionNotEnabled => "La cuenta de Twilio no tiene permiso para enviar SMS a la región de ese número (error 21408).",
        Unsubscribed => "El destinatario se dio de baja respondiendo STOP (error 21610): no se le volverá a escribir hasta que responda START.",
        NotMobile => "El número de destino no es un celular que pueda recibir SMS (error 21614).",
        UnreachableHandset => "El teléfono del destinatario no estaba disponible (error 30003); MorfX lo intenta de nuevo más tarde.",
        UnknownDestination => "El número de destino no existe o ya no está en servicio (error 30005).",
        Landline => "El número de destino es un teléfono fijo y no recibe SMS (error 30006).",
        FilteredAsSpam => "El operador filtró el mensaje como spam (error 30007).",
        UnknownError => "El operador no entregó el mensaje por un error desconocido (error 30008); MorfX lo intenta de nuevo más tarde.",
        { } other => $"Twilio rechazó el mensaje (error {other}).",
        null => "Twilio rechazó el mensaje.",
    };
}
