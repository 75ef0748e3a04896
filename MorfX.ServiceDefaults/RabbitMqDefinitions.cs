using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MorfX.ServiceDefaults;

/// <summary>
/// A RabbitMQ definitions file (<c>rabbitmqctl import_definitions</c>) that creates users with their permissions on a virtual
/// host: how the local AppHost and the test fixtures give each service its own user, as Kubernetes does. It holds salted
/// password hashes, never a password.
/// </summary>
public static class RabbitMqDefinitions
{
    public static string Json(string virtualHost, IEnumerable<(string User, string Password, BrokerPermissions Permissions)> users)
    {
        var list = users.ToList();
        return JsonSerializer.Serialize(new
        {
            users = list.Select(u => new
            {
                name = u.User, password_hash = PasswordHash(u.Password), hashing_algorithm = "rabbit_password_hashing_sha256",
                tags = Array.Empty<string>(),
            }),
            permissions = list.Select(u => new
            {
                user = u.User, vhost = virtualHost, configure = u.Permissions.Configure, write = u.Permissions.Write, read = u.Permissions.Read,
            }),
        });
    }

    /// <summary>
    /// Whether <c>rabbitmqctl -q list_permissions -p vhost</c> shows every user with its permissions: the import is
    /// asynchronous, so the users exist once this says so.
    /// </summary>
    public static bool AllGranted(string listing, IEnumerable<(string User, BrokerPermissions Permissions)> users)
    {
        var granted = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        return users.All(u => granted.Any(g => g is [var name, var configure, var write, var read]
            && name == u.User && configure == u.Permissions.Configure && write == u.Permissions.Write && read == u.Permissions.Read));
    }

    /// <summary>RabbitMQ's rabbit_password_hashing_sha256: base64 of a 4-byte salt and SHA-256(salt + password).</summary>
    static string PasswordHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(4);
        return Convert.ToBase64String([.. salt, .. SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)])]);
    }
}
