using System.Reflection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// A log line's event id says where it comes from: each service and library has its own range (the table below, also in
/// deploy/RUNBOOK.md, "Logs and traces"), and no id is used twice, so ops can filter on one id and find one message.
/// </summary>
public class LogEventIdsTests
{
    static readonly (string Assembly, int From, int To)[] Ranges =
    [
        ("MorfX.SmsSender", 1000, 1999),
        ("MorfX.AutomationEngine", 2000, 2999),
        ("MorfX.WebhookIngest", 3000, 3999),
        ("MorfX.ConfigApi", 4000, 7999),
        ("MorfX.UsageApi", 8000, 8499),
        ("MorfX.ConfigApiClient", 8500, 8999),
        ("MorfX.Data", 9000, 9199),
        ("MorfX.Messaging", 9200, 9299),
        ("MorfX.ServiceDefaults", 9300, 9999),
    ];

    /// <summary>The services' assemblies and every MorfX assembly they reference, so a new project that logs is found too.</summary>
    static List<Assembly> MorfXAssemblies()
    {
        var found = new Dictionary<string, Assembly>();
        var next = new Queue<AssemblyName>(Ranges.Select(r => new AssemblyName(r.Assembly)));
        while (next.TryDequeue(out var name))
        {
            if (!name.Name!.StartsWith("MorfX.", StringComparison.Ordinal) || found.ContainsKey(name.Name)) continue;
            var assembly = Assembly.Load(name);
            found[name.Name] = assembly;
            foreach (var reference in assembly.GetReferencedAssemblies()) next.Enqueue(reference);
        }
        return [.. found.Values];
    }

    static List<(string Assembly, int Id, string Method)> EventIds() =>
    [
        .. MorfXAssemblies().SelectMany(a => a.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (a.GetName().Name!, x.Attribute!.EventId, $"{x.Method.DeclaringType!.Name}.{x.Method.Name}"))),
    ];

    [Test]
    public void Every_log_event_id_is_used_once()
    {
        var ids = EventIds();

        Assert.That(ids, Has.Count.GreaterThan(50), "the services' [LoggerMessage] methods were found");
        Assert.That(ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.Method))}"), Is.Empty);
    }

    [Test]
    public void Each_service_logs_within_its_own_range()
    {
        var outside = EventIds().Where(i => Ranges.SingleOrDefault(r => r.Assembly == i.Assembly) is var r && (i.Id < r.From || i.Id > r.To))
            .Select(i => $"{i.Assembly} {i.Id} ({i.Method})");

        Assert.That(outside, Is.Empty, "an assembly without a range has none to log in: give it one in Ranges");
    }
}
