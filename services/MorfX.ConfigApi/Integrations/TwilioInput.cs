namespace MorfX.ConfigApi.Integrations;

/// <summary>The validated, normalised Twilio form; a null AuthToken means "keep the stored one".</summary>
public record TwilioInput(string AccountSid, string? AuthToken, string PhoneNumber);
