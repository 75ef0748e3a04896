using MorfX.Contracts;
using MorfX.ShopifyEmulator;
using MorfX.Testing;
using MorfX.WebhookIngest.Shopify;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>Stops the real RabbitMQ, so it runs after every other fixture, and always starts it again.</summary>
[Order(100), NonParallelizable]
public sealed class BrokerOutageTests
{
    static readonly string InfraScript = Path.Combine(TestInfrastructure.RepoRoot, "deploy/local/infra.sh");

    [Test]
    public async Task Delivery_while_the_broker_is_down_gets_503_and_succeeds_when_retried_after_it_is_back()
    {
        var shop = await ConnectShopAsync();
        var webhookId = Guid.NewGuid().ToString();

        DeliveryResult duringOutage;
        await TestInfrastructure.RunAsync(InfraScript, "stop-rabbitmq");
        try
        {
            duringOutage = await DeliverAsync(shop, "orders/create", webhookId: webhookId);
        }
        finally
        {
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
        }

        Assert.That(duringOutage.Status, Is.EqualTo(503), duringOutage.ResponseBody);
        Assert.That(duringOutage.ElapsedMs, Is.LessThan(5000), "answered inside Shopify's 5 s");

        // Shopify retries the same delivery (same webhook id) until it gets a 2xx.
        var retried = await Eventually.Get(() => DeliverAsync(shop, "orders/create", webhookId: webhookId), d => d.Status == 200,
            TimeSpan.FromSeconds(90), "a retry accepted once RabbitMQ is back");
        Assert.That(retried.ElapsedMs, Is.LessThan(5000));
        var created = await Events.WaitForAsync<ShopifyOrderCreated>(e => e.WorkspaceId == shop.WorkspaceId, TimeSpan.FromSeconds(60));
        Assert.That(created.EventId, Is.EqualTo(WebhookEventIds.ForShopify(shop.Domain, "orders/create", created.Order.Id, null, webhookId)));
    }

    [OneTimeTearDown]
    public async Task RabbitMqIsRunningAgain()
    {
        if (!TestInfrastructure.PortOpen(TestInfrastructure.AmqpPort))
            await TestInfrastructure.RunAsync(InfraScript, "start-rabbitmq");
    }
}
