using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Consumers;
using NUnit.Framework;
using static MorfX.SmsSender.Tests.SmsSenderFixture;

namespace MorfX.SmsSender.Tests;

/// <summary>How the endpoints run, from MassTransit's own probe of the running bus (what RabbitMQ is told: prefetch, limits).</summary>
public class EndpointSettingsTests
{
    [Test]
    public void Sms_requests_are_handled_many_at_once_as_they_mostly_wait_for_twilio()
    {
        var transport = Endpoint("sms-sender-sms-requested")["receiveTransport"]!;

        Assert.That((int)transport["concurrentMessageLimit"]!, Is.EqualTo(128));
        Assert.That((int)transport["prefetchCount"]!, Is.EqualTo(256));
    }

    [Test]
    public void Status_callbacks_are_taken_in_batches()
    {
        var endpoint = Endpoint("sms-sender-twilio-status-reported");

        var batch = Find(endpoint, n => n["source"]?.GetValue<string>() == "batch");
        Assert.That((int)batch["messageLimit"]!, Is.EqualTo(BatchConsumerDefinition<TwilioStatusReportedConsumer>.MessageLimit));
        Assert.That((int)endpoint["receiveTransport"]!["prefetchCount"]!, Is.GreaterThanOrEqualTo(100), "a batch can fill before its time limit");
    }

    static JsonObject Endpoint(string queue)
    {
        var probe = JsonNode.Parse(JsonSerializer.Serialize(SmsSenderHost.Services.GetRequiredService<IBus>().GetProbeResult()))!;
        return Find(probe, n => n["name"]?.GetValueKind() == JsonValueKind.String && n["name"]!.GetValue<string>() == queue && n["receiveTransport"] is not null);
    }

    static JsonObject Find(JsonNode node, Func<JsonObject, bool> match) =>
        All(node).FirstOrDefault(match) ?? throw new AssertionException("not in the bus's probe");

    static IEnumerable<JsonObject> All(JsonNode? node) => node switch
    {
        JsonObject o => new[] { o }.Concat(o.SelectMany(p => All(p.Value))),
        JsonArray a => a.SelectMany(All),
        _ => [],
    };
}
