using Twilio.Security;

namespace MorfX.WebhookIngest.Apis;

/// <summary>
/// A Twilio webhook as it arrived, before its signature is checked: the public URL Twilio signed, its form fields (or its JSON
/// body, checked by the URL's bodySHA256) and the X-Twilio-Signature header.
/// </summary>
public sealed record TwilioSignedRequest(Guid WorkspaceId, string Url, Dictionary<string, string> Fields, string? JsonBody, string Signature)
{
    /// <summary>Twilio's own <see cref="RequestValidator"/>, in constant time; it also accepts the URL with its default port added or removed.</summary>
    public bool IsSignedWith(string authToken)
    {
        var validator = new RequestValidator(authToken);
        return JsonBody is null ? validator.Validate(Url, Fields, Signature) : validator.Validate(Url, JsonBody, Signature);
    }

    public string Field(string name) => Fields.TryGetValue(name, out var value) ? value : "";
}
