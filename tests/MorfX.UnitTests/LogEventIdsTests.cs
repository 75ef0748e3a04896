using System.Reflection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// A log line's event id says where it comes from: each service and library has its own range, and no id is used twice, so
/// ops can filter on one id and find one message.
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
        ("MorfX.ServiceDefaults", 9000, 9999),
    ];

    static List<(string Assembly, int Id, string Method)> EventIds() =>
    [
        .. Ranges.Select(r => Assembly.Load(r.Assembly)).SelectMany(a => a.GetTypes()
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
        var outside = EventIds().Where(i => Ranges.Single(r => r.Assembly == i.Assembly) is var r && (i.Id < r.From || i.Id > r.To))
            .Select(i => $"{i.Assembly} {i.Id} ({i.Method})");

        Assert.That(outside, Is.Empty);
    }
}
