using Microsoft.AspNetCore.DataProtection;

namespace MorfX.ConfigApi.Data;

/// <summary>
/// Encrypts integration secrets for storage. The workspace is part of the purpose, so a ciphertext copied into
/// another workspace's row does not decrypt there.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    const string Purpose = "MorfX.ConfigApi.IntegrationSecrets.v1";

    public string Protect(Guid workspaceId, string secret) => For(workspaceId).Protect(secret);

    public string Unprotect(Guid workspaceId, string ciphertext) => For(workspaceId).Unprotect(ciphertext);

    IDataProtector For(Guid workspaceId) => provider.CreateProtector(Purpose, workspaceId.ToString("N"));
}
