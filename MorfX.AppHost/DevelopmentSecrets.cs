using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace MorfX.AppHost;

/// <summary>
/// The development token signing key, internal service key, config-api's key-ring encryption key (base64 of 32 bytes,
/// which config-api requires outside Development, docs/decisions/0016), the redaction tombstones' hash key (decision 0030) and each service's database and broker passwords,
/// generated once per checkout into .morfx/secrets.env
/// (git-ignored, mode 600) where `deploy/local/morfx token` reads them too. Configured parameters
/// (Parameters:auth-signing-key, user secrets, environment) win over the file.
/// </summary>
public static class DevelopmentSecrets
{
    static readonly (string Parameter, string FileKey, int Bytes, bool Base64)[] Keys =
    [
        ("auth-signing-key", "SIGNING_KEY", 48, false),
        ("internal-service-key", "INTERNAL_KEY", 32, false),
        ("data-protection-kek", "DATA_PROTECTION_KEK", 32, true),
        ("redaction-hash-key", "REDACTION_HASH_KEY", 32, true),
    ];

    /// <summary>The keys, and one password for each of <paramref name="passwords"/> (parameter names).</summary>
    public static void Apply(IConfigurationManager configuration, string stateDirectory, IEnumerable<string> passwords)
    {
        var keys = Keys.Concat(passwords.Select(p => (p, p.ToUpperInvariant().Replace('-', '_'), 24, false)));
        var file = Path.Combine(stateDirectory, "secrets.env");
        var values = File.Exists(file)
            ? File.ReadAllLines(file).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        var changed = false;
        foreach (var (parameter, fileKey, bytes, base64) in keys)
        {
            if (!values.ContainsKey(fileKey))
            {
                var random = Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
                values[fileKey] = base64 ? random : random.TrimEnd('=').Replace('+', 'x').Replace('/', 'y');
                changed = true;
            }
            configuration[$"Parameters:{parameter}"] ??= values[fileKey];
        }
        if (!changed) return;
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllLines(file, values.Select(v => $"{v.Key}={v.Value}"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
