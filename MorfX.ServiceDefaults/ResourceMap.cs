using System.Text.Json;

namespace MorfX.ServiceDefaults;

/// <summary>
/// deploy/resources.json, embedded: every service and emulator with its resource name, project, fixed development
/// port and database. The AppHost builds its resources from it and the tests find ports in it; deploy/local/morfx and
/// the k8s manifests' validator read the same file. (The AppHost links this file and embeds the JSON itself.)
/// </summary>
public sealed record ResourceMap(
    string Postgres, string Messaging, IReadOnlyList<MappedResource> Services, IReadOnlyList<MappedResource> Emulators)
{
    public static ResourceMap Current { get; } = Load();

    public MappedResource this[string name] => Services.Concat(Emulators).SingleOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"{name} is not in deploy/resources.json");

    /// <summary>Every fixed port: each resource's, and config-api's internal one.</summary>
    public IEnumerable<int> Ports => Services.Concat(Emulators)
        .SelectMany(r => r.InternalPort is { } internalPort ? new[] { r.Port, internalPort } : [r.Port]);

    static ResourceMap Load()
    {
        var assembly = typeof(ResourceMap).Assembly;
        using var json = assembly.GetManifestResourceStream("resources.json")
            ?? throw new InvalidOperationException($"deploy/resources.json is not embedded in {assembly.GetName().Name}");
        return JsonSerializer.Deserialize<ResourceMap>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
