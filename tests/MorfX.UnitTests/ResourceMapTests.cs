using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// deploy/resources.json is the one resource map. The C# constants the services compile against and the README's table are
/// copies a reader meets first, so they must say what the map says.
/// </summary>
public class ResourceMapTests
{
    static readonly ResourceMap Map = ResourceMap.Current;

    [Test]
    public void ResourceNames_constants_are_the_maps_names_and_databases()
    {
        var constants = typeof(ResourceNames).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        var mapped = Map.Services.SelectMany(s => new[] { s.Name, s.Database!, s.InternalEndpoint })
            .Append(Map.Postgres).Append(Map.Messaging).OfType<string>().ToHashSet();

        Assert.That(constants, Is.EquivalentTo(mapped));
    }

    [Test]
    public void Every_fixed_port_is_different()
    {
        var ports = Map.Ports.ToList();

        Assert.That(ports, Is.Unique);
        Assert.That(ports, Has.Count.EqualTo(Map.Services.Count + Map.Emulators.Count + 1), "config-api's internal port included");
    }

    [Test]
    public void The_readmes_table_lists_each_service_with_its_port_and_database()
    {
        var rows = File.ReadAllLines(Path.Combine(TestInfrastructure.RepoRoot, "README.md"))
            .Where(l => l.StartsWith('|')).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        string[]? Row(string name) => rows.SingleOrDefault(r => string.Equals(r[1], name, StringComparison.OrdinalIgnoreCase));

        Assert.Multiple(() =>
        {
            foreach (var service in Map.Services)
            {
                Assert.That(Row(service.Name)?[2], Is.EqualTo(service.Port.ToString()), $"{service.Name}'s port");
                Assert.That(Row(service.Name)?[3], Does.Contain($"`morfx_{service.Database}`"), $"{service.Name}'s database");
                if (service.InternalPort is { } internalPort)
                    Assert.That(Row($"{service.Name} ({service.InternalEndpoint})")?[2], Is.EqualTo(internalPort.ToString()), $"{service.Name}'s internal port");
            }
            foreach (var emulator in Map.Emulators)
                Assert.That(Row(emulator.Name.Replace('-', ' '))?[2], Is.EqualTo(emulator.Port.ToString()), $"{emulator.Name}'s port");
        });
    }
}
