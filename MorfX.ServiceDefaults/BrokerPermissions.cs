using System.Text.RegularExpressions;

namespace MorfX.ServiceDefaults;

/// <summary>
/// A service's RabbitMQ permissions on its virtual host, as anchored regular expressions over queue and exchange names,
/// generated from its <see cref="BrokerAccess"/>. The local AppHost grants them with rabbitmqctl and
/// deploy/k8s/base/rabbitmq-users.yaml is generated from them, so every local run and the end-to-end suite run under the
/// permissions production has.
/// </summary>
/// <remarks>
/// RabbitMQ's rules, for what MassTransit does: declaring a queue or exchange needs configure on it; publishing needs write on
/// the exchange; binding needs write on the destination and read on the source (a consumer's queue to a message's exchange,
/// a published type's exchange to its interfaces' exchanges, and a queue sent to directly to its exchange of the same name, so
/// a publisher reads what it publishes and sends to).
/// </remarks>
public sealed record BrokerPermissions(string Configure, string Write, string Read)
{
    /// <summary>MassTransit's Fault&lt;T&gt; exchanges, declared and published to when a consumer gives up on a message.</summary>
    const string Faults = "MassTransit:Fault.*";

    /// <summary>
    /// The start of a service's bus endpoint (the temporary queue that receives responses), so that another service may answer
    /// it. MassTransit's default starts with the host name, which only a Kubernetes pod shares with its service.
    /// </summary>
    public static string BusEndpointPrefix(string service) => $"{service}-bus-";

    public static BrokerPermissions For(MappedResource service)
    {
        var broker = service.Broker ?? throw new InvalidOperationException($"{service.Name} has no broker access in deploy/resources.json");
        string[] own = [$"{Regex.Escape(service.Name)}-.*"];
        var published = broker.Publishes.Select(Regex.Escape).ToArray();
        var consumed = broker.Consumes.Select(Regex.Escape).ToArray();
        var sent = (broker.SendsTo ?? []).Select(Regex.Escape)
            .Concat((broker.RespondsTo ?? []).Select(s => $"{Regex.Escape(BusEndpointPrefix(s))}.*")).ToArray();
        return new(
            Anchored([.. own, .. published, .. consumed, .. sent, Faults]),
            Anchored([.. own, .. published, .. sent, Faults]),
            Anchored([.. own, .. consumed, .. published, .. sent, Faults]));
    }

    static string Anchored(IEnumerable<string> alternatives) => $"^({string.Join('|', alternatives.Distinct())})$";
}
