namespace MorfX.ConfigApiClient;

/// <summary>A workspace's Twilio credentials, from config-api's internal look-up. Holds a secret: never log it, never put it in a message.</summary>
public sealed record TwilioCredentials(Guid WorkspaceId, string AccountSid, string AuthToken, string FromNumber, string Status)
{
    public override string ToString() => $"TwilioCredentials {{ WorkspaceId = {WorkspaceId}, AccountSid = {AccountSid}, AuthToken = ****, FromNumber = {FromNumber}, Status = {Status} }}";
}
