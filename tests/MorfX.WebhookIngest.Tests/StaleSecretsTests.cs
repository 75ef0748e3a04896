using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// A removed Shopify integration's secret stops verifying webhooks within 5 s (issue 32), though the IntegrationChanged that
/// announces the removal never reaches webhook-ingest (its invalidation queue is unbound for the test): config-api's change
/// feed is what the cached shop answers to.
/// </summary>
[NonParallelizable]
public class StaleSecretsTests
{
    [Test]
    public async Task A_removed_shop_s_secret_no_longer_verifies_webhooks_after_five_seconds_though_the_change_message_is_lost()
    {
        var shop = await ConnectShopAsync();
        var before = await DeliverAsync(shop, "orders/create");
        Assert.That(before.Status, Is.EqualTo(200), "the shop is known and cached");
        var queue = Ingest.Services.GetRequiredService<IntegrationLookup>().InvalidationQueue!;
        await using (await UnboundQueue.StartAsync(queue, typeof(IntegrationChanged)))
        {
            using (var client = ConfigService.CreateClient(Tokens.For(shop.WorkspaceId)))
                (await client.DeleteAsync("/api/integrations/shopify")).EnsureSuccessStatusCode();
            await Task.Delay(TimeSpan.FromSeconds(5));

            // Removing the shop removed its subscription: the same delivery, sent where the subscription pointed.
            var afterRemoval = await DeliverAsync(shop, "orders/create", targetUrl: before.TargetUrl);

            Assert.That(afterRemoval.Status, Is.EqualTo(401), "a webhook signed with the removed secret is refused");
        }
    }
}
