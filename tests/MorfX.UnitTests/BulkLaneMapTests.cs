using MorfX.Contracts;
using MorfX.Messaging.Fairness;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>The lanes the services hand the fairness wiring (Contracts' BulkLanes): which messages have one, and whose budget they spend.</summary>
public class BulkLaneMapTests
{
    static readonly BulkLaneMap Lanes = new(BulkLanes.Queues, BulkLanes.WorkspaceOf);
    static readonly Guid Workspace = Guid.Parse("5e1f0000-0000-4000-8000-000000000001");

    [Test]
    public void An_order_and_an_SMS_request_take_their_consumers_lanes_and_spend_their_workspaces_budget()
    {
        var order = new ShopifyOrderCreated(Guid.NewGuid(), Workspace, DateTimeOffset.UtcNow, null!);
        var sms = new SmsRequested(Guid.NewGuid(), Workspace, "+5215512345678", "Hola", [], null!, DateTimeOffset.UtcNow);

        Assert.Multiple(() =>
        {
            Assert.That(Lanes.TryGetLane(order, typeof(ShopifyOrderCreated), out var orderLane, out var orderWorkspace), Is.True);
            Assert.That((orderLane, orderWorkspace), Is.EqualTo(("automation-engine-bulk-shopify-order-created", Workspace)));
            Assert.That(Lanes.TryGetLane(sms, typeof(SmsRequested), out var smsLane, out var smsWorkspace), Is.True);
            Assert.That((smsLane, smsWorkspace), Is.EqualTo(("sms-sender-bulk-sms-requested", Workspace)));
        });
    }

    [Test]
    public void A_message_without_a_lane_is_published_as_it_is_and_a_fair_consumer_without_one_stops_start_up()
    {
        var change = new IntegrationChanged(Workspace, "twilio", "connected", null, null, DateTimeOffset.UtcNow);

        Assert.That(Lanes.TryGetLane(change, typeof(IntegrationChanged), out _, out _), Is.False);
        Assert.That(BulkLaneMap.None.TryGetLane(new ShopifyOrderCreated(Guid.NewGuid(), Workspace, DateTimeOffset.UtcNow, null!),
            typeof(ShopifyOrderCreated), out _, out _), Is.False, "a service that registers no lanes publishes everything to the shared queue");
        Assert.That(() => Lanes.QueueOf(typeof(IntegrationChanged)),
            Throws.InvalidOperationException.With.Message.Contains("IntegrationChanged has no bulk lane"));
    }
}
