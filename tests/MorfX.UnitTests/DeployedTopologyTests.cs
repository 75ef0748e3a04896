using System.Reflection;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// What is deployed is what is tested: the broker users and database rules in deploy/k8s are generated from the resource map
/// the local AppHost applies, and the map must grant each service what its code does on the broker.
/// </summary>
public class DeployedTopologyTests
{
    static readonly ResourceMap Map = ResourceMap.Current;

    [TestCase(DeployedTopology.RabbitMqUsersPath)]
    [TestCase(DeployedTopology.PostgresAccessPath)]
    public void The_kubernetes_access_manifests_are_the_ones_the_resource_map_generates(string path)
    {
        var expected = path == DeployedTopology.RabbitMqUsersPath ? DeployedTopology.RabbitMqUsers(Map) : DeployedTopology.PostgresAccess(Map);
        var file = Path.Combine(TestInfrastructure.RepoRoot, path);
        if (Environment.GetEnvironmentVariable("MORFX_WRITE_GENERATED") == "1") File.WriteAllText(file, expected);

        Assert.That(File.ReadAllText(file), Is.EqualTo(expected),
            $"{path} is stale: run `MORFX_WRITE_GENERATED=1 dotnet test tests/MorfX.UnitTests --filter DeployedTopologyTests`");
    }

    [Test]
    public void Each_service_may_consume_every_message_its_consumers_take()
    {
        foreach (var service in Map.Services)
        {
            var consumed = ConsumedMessages(service).Select(EntityName).ToList();

            Assert.That(consumed, Is.Not.Empty, $"{service.Name}'s consumers were found");
            Assert.That(service.Broker!.Consumes, Is.SupersetOf(consumed), $"{service.Name}'s broker consumes in deploy/resources.json");
        }
    }

    [Test]
    public void Every_consumed_message_has_a_publisher_and_a_published_message_its_interfaces()
    {
        var published = Map.Services.SelectMany(s => s.Broker!.Publishes).Concat(PublishedOutside).ToHashSet();

        Assert.That(published, Is.SupersetOf(Map.Services.SelectMany(s => s.Broker!.Consumes).Distinct()), "a consumed exchange nobody may publish to");
        foreach (var service in Map.Services)
        {
            // MassTransit binds a published type's exchange to its interfaces' exchanges, declaring those too.
            var interfaces = MessageTypes.Where(t => service.Broker!.Publishes.Contains(EntityName(t)))
                .SelectMany(t => t.GetInterfaces())
                .Where(i => i.Namespace == typeof(ITriggerEvent).Namespace && !i.IsDefined(typeof(MassTransit.ExcludeFromTopologyAttribute), false))
                .Select(EntityName).Distinct();
            Assert.That(service.Broker!.Publishes, Is.SupersetOf(interfaces), $"{service.Name} publishes these interfaces' exchanges too");
        }
    }

    [Test]
    public void A_bulk_lane_may_be_sent_to_by_each_publisher_of_its_message()
    {
        foreach (var (message, queue) in BulkLanes.Queues)
            foreach (var publisher in Map.Services.Where(s => s.Broker!.Publishes.Contains(EntityName(message)) && !queue.StartsWith($"{s.Name}-", StringComparison.Ordinal)))
                Assert.That(publisher.Broker!.SendsTo, Does.Contain(queue), $"{publisher.Name} sends {message.Name} to the bulk lane {queue}");
    }

    [Test]
    public void No_service_may_touch_another_services_queues_but_the_bulk_lanes_and_bus_endpoints_it_is_given()
    {
        foreach (var service in Map.Services)
        {
            var permissions = BrokerPermissions.For(service);
            foreach (var other in Map.Services.Where(s => s != service))
            {
                var queue = $"{other.Name}-some-consumer";
                Assert.That(new[] { permissions.Configure, permissions.Write, permissions.Read }.Where(p => System.Text.RegularExpressions.Regex.IsMatch(queue, p)),
                    Is.Empty, $"{service.Name} may touch {queue}");
            }
            Assert.That(System.Text.RegularExpressions.Regex.IsMatch($"{BrokerPermissions.BusEndpointPrefix(service.Name)}0a1b", permissions.Read), $"{service.Name} reads its bus endpoint");
        }
    }

    /// <summary>
    /// The message types of the consumers the service registers (a batch's messages): its own pipeline is built, not started,
    /// and MassTransit's registrations read from it.
    /// </summary>
    static IEnumerable<Type> ConsumedMessages(MappedResource service)
    {
        var build = Assembly.Load(service.Project).GetType($"{service.Project}.Program")!.GetMethod("Build")!;
        var settings = TestInfrastructure.ServiceSettings(service.Database!);
        settings["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32]);
        Action<WebApplicationBuilder> configure = b => b.Configuration.AddInMemoryCollection(settings);
        var app = (WebApplication)build.Invoke(null, [Array.Empty<string>(), configure])!;
        return app.Services.GetServices<IConsumerRegistration>()
            .SelectMany(r => r.Type.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Select(m => m.IsGenericType && m.GetGenericTypeDefinition() == typeof(Batch<>) ? m.GetGenericArguments()[0] : m)
            .Distinct().ToList();
    }

    /// <summary>Triggers the rest of the MorfX CRM publishes (WhatsApp), not these five services.</summary>
    static readonly string[] PublishedOutside = ["whatsapp.message_received"];

    static IEnumerable<Type> MessageTypes => typeof(ITriggerEvent).Assembly.GetTypes().Where(t => t.Namespace == typeof(ITriggerEvent).Namespace);

    /// <summary>The exchange MassTransit gives a message type on RabbitMQ: its [EntityName], else "Namespace:Type".</summary>
    static string EntityName(Type message) =>
        message.GetCustomAttribute<EntityNameAttribute>()?.EntityName ?? $"{message.Namespace}:{message.Name}";
}
