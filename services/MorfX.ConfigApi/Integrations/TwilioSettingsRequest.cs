namespace MorfX.ConfigApi.Integrations;

// The form of the frontend's /configuracion/integraciones page, as sent: IntegrationValidation checks it.

/// <summary>AuthToken left out (or sent back masked) keeps the stored token, so the form can change only the number.</summary>
public record TwilioSettingsRequest(string? AccountSid, string? AuthToken, string? PhoneNumber);
