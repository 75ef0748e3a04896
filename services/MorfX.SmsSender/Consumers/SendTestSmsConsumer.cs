using MassTransit;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.SmsSender.Sending;

namespace MorfX.SmsSender.Consumers;

/// <summary>
/// config-api's "Probar conexion": sends a fixed text with the workspace's stored credentials and answers at once with
/// the sid or a stable error code (twilio_not_configured, twilio_auth_failed, invalid_phone, twilio_unreachable,
/// twilio_error) and a Spanish explanation. Recorded in sms_messages with origin "test"; the request's id is the
/// idempotency key, so a redelivered request answers with the same message instead of sending another.
/// </summary>
public sealed class SendTestSmsConsumer(SmsDispatcher dispatcher) : IConsumer<SendTestSms>
{
    // Without accents on purpose: "ó" is outside GSM-7, and one such letter makes Twilio send (and charge) the SMS as UCS-2.
    public const string TestBody = "MorfX: conexion Twilio verificada correctamente";

    public async Task Consume(ConsumeContext<SendTestSms> context)
    {
        var test = context.Message;
        if (!PhoneNumbers.IsE164(test.To))
        {
            await context.RespondAsync(Failure(SmsFailureCodes.InvalidPhone,
                "El número de destino no es válido: escríbelo en formato internacional, por ejemplo +573001234567."));
            return;
        }

        var requestId = context.RequestId ?? context.MessageId ?? NewId.NextGuid();
        var request = new SmsRequested(requestId, test.WorkspaceId, test.To, TestBody, [], new SmsOrigin(SmsOrigin.Test, null, null, null), DateTimeOffset.UtcNow);
        DispatchResult result;
        try { result = await dispatcher.DispatchAsync(request, context, throwOnTransient: false, context.CancellationToken); }
        catch (ConfigApiUnavailableException)
        {
            await context.RespondAsync(Failure(SmsFailureCodes.ConfigUnavailable,
                "No fue posible leer la configuración de Twilio en este momento. Intenta de nuevo en unos minutos."));
            return;
        }
        await context.RespondAsync(ToResult(result));
    }

    static SendTestSmsResult ToResult(DispatchResult result) => result.Outcome switch
    {
        DispatchOutcome.Sent or DispatchOutcome.AlreadySent => new(true, result.Message!.MessageSid, null, null),
        DispatchOutcome.Skipped => Failure(SmsSkipped.RecipientOptedOut,
            "Ese número se dio de baja de los mensajes de este espacio de trabajo: no se le envió la prueba."),
        _ when result.Error == SmsDispatcher.NotConfiguredError => Failure(SmsFailureCodes.TwilioNotConfigured,
            "Twilio no está configurado en este espacio de trabajo: guarda el Account SID, el Auth Token y el número antes de probar."),
        _ when result.Error == SmsDispatcher.UnreachableError => Failure(SmsFailureCodes.TwilioUnreachable,
            "No fue posible comunicarse con Twilio. Intenta de nuevo en unos minutos."),
        _ => result.TwilioCode switch
        {
            TwilioErrorCodes.AuthenticationFailed => Failure(SmsFailureCodes.TwilioAuthFailed,
                "Twilio rechazó las credenciales (error 20003). Revisa el Account SID y el Auth Token."),
            TwilioErrorCodes.InvalidToNumber => Failure(SmsFailureCodes.InvalidPhone,
                "Twilio indica que el número de destino no es válido (error 21211)."),
            TwilioErrorCodes.NotMobile => Failure(SmsFailureCodes.InvalidPhone,
                "El número de destino no es un celular que pueda recibir SMS (error 21614)."),
            TwilioErrorCodes.RegionNotEnabled => Failure(SmsFailureCodes.TwilioError,
                "Tu cuenta de Twilio no tiene permiso para enviar SMS a la región de ese número (error 21408)."),
            TwilioErrorCodes.Unsubscribed => Failure(SmsFailureCodes.TwilioError,
                "El destinatario se dio de baja de tus mensajes respondiendo STOP (error 21610)."),
            21212 or 21606 or 21659 => Failure(SmsFailureCodes.TwilioError,
                $"El número de Twilio configurado no puede enviar SMS (error {result.TwilioCode}). Revisa que pertenezca a tu cuenta y tenga SMS habilitado."),
            { } code => Failure(SmsFailureCodes.TwilioError, $"Twilio rechazó el mensaje (error {code})."),
            null => Failure(SmsFailureCodes.TwilioError, "Twilio rechazó el mensaje."),
        },
    };

    static SendTestSmsResult Failure(string code, string spanishMessage) => new(false, null, code, spanishMessage);
}
