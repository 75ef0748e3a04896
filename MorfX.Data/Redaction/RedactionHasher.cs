using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MorfX.Data.Redaction;

/// <summary>The one way a redaction tombstone names what it forgets: HMAC-SHA256 under <see cref="RedactionOptions.HashKey"/>, per workspace.</summary>
public sealed class RedactionHasher(IOptions<RedactionOptions> options)
{
    readonly byte[] _key = options.Value.Key;

    public byte[] Hash(Guid workspaceId, string value) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{workspaceId:N}:{value}"));

    public byte[][] Hash(Guid workspaceId, IEnumerable<string> values) => [.. values.Distinct().Select(v => Hash(workspaceId, v))];
}

public static class RedactionExtensions
{
    public static IHostApplicationBuilder AddRedactionHasher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedactionOptions>().BindConfiguration(RedactionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RedactionHasher>();
        return builder;
    }
}
