namespace MorfX.Contracts;

/// <summary>
/// Why sms-sender ended a request without a message, as it says in SmsFailed.ErrorMessage and SendTestSmsResult.ErrorCode:
/// the engine writes it on the run's step and config-api answers "Probar conexión" with it. (Twilio's own refusals carry
/// Twilio's numeric code instead; an opted-out recipient is SmsSkipped.RecipientOptedOut.)
/// </summary>
public static class SmsFailureCodes
{
    /// <summary>The workspace has no Twilio integration.</summary>
    public const string TwilioNotConfigured = "twilio_not_configured";

    /// <summary>Twilio did not answer, after the HTTP pipeline's retries.</summary>
    public const string TwilioUnreachable = "twilio_unreachable";

    /// <summary>Test SMS only: Twilio refused the Account SID or Auth Token.</summary>
    public const string TwilioAuthFailed = "twilio_auth_failed";

    /// <summary>Test SMS only: the destination is not a number Twilio can text.</summary>
    public const string InvalidPhone = "invalid_phone";

    /// <summary>Test SMS only: config-api's look-up of the credentials failed.</summary>
    public const string ConfigUnavailable = "config_unavailable";

    /// <summary>Test SMS only: any other refusal by Twilio.</summary>
    public const string TwilioError = "twilio_error";
}
