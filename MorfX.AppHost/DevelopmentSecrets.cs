using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace MorfX.AppHost;

/// <summary>
/// The development token signing key and internal service key, generated once per checkout into .morfx/secrets.env
/// (git-ignored, mode 600) where `deploy/local/morfx token` reads them too. Configured parameters
/// (Parameters:auth-signing-key, user secrets, environment) win over the file.
/// </summary>
public static class DevelopmentSecrets
{
    static readonly (string Parameter, string FileKey, int Bytes)[] Keys =
        [("auth-signing-key", "SIGNING_KEY", 48), ("internal-service-key", "INTERNAL_KEY", 32)];

    public static void Apply(IConfigurationManager configuration, string stateDirectory)
    {
        var file = Path.Combine(stateDirectory, "secrets.env");
        var values = File.Exists(file)
            ? File.ReadAllLines(file).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        var changed = false;
        foreach (var (parameter, fileKey, bytes) in Keys)
        {
            if (!values.ContainsKey(fileKey))
            {
                values[fileKey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', 'x').Replace('/', 'y');
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
