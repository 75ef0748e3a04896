namespace MorfX.WebhookIngest.Tests;

/// <summary>A shop connected through config-api's real API: its workspace, domain, Admin API token and client secret.</summary>
public sealed record TestShop(Guid WorkspaceId, string Domain, string AccessToken, string Secret);
