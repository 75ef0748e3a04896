namespace MorfX.WebhookIngest.Apis;

/// <summary>A Twilio webhook whose X-Twilio-Signature checked out: its workspace and its parameters.</summary>
public sealed record VerifiedTwilioRequest(Guid WorkspaceId, IReadOnlyDictionary<string, string> Fields)
{
    public string Field(string name) => Fields.TryGetValue(name, out var value) ? value : "";
}
