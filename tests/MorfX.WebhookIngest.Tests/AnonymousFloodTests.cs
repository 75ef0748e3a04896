using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using Npgsql;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// Anonymous amplification (issue 32, decision 0038): what a flood of unknown shops costs config-api, and how a source that
/// keeps being refused is cut off without touching Shopify's own deliveries.
/// </summary>
public sealed class AnonymousFloodTests
{
    static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\": 1}");
    static int _sources;

    /// <summary>A fresh source address per call (TEST-NET ranges), so tests do not share a refusal budget.</summary>
    static string NewSource() { var n = Interlocked.Increment(ref _sources); return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"; }

    [Test]
    public async Task A_flood_of_unknown_shops_from_many_sources_costs_config_api_at_most_the_budget()
    {
        var shop = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200));
        var before = ConfigApiOutage.ShopLookups;
        var clock = Stopwatch.StartNew();

        var statuses = await FloodAsync(3_000, concurrency: 64, sourcePerRequest: true);

        var lookups = ConfigApiOutage.ShopLookups - before;
        var allowed = 50 * (Math.Ceiling(clock.Elapsed.TotalSeconds) + 1);
        TestContext.Out.WriteLine($"3,000 unknown shops in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}; " +
            $"config-api shop look-ups {lookups} (budget {allowed})");
        Assert.That(statuses.Keys, Is.EquivalentTo(new[] { 401 }), "each refused as an unknown shop");
        Assert.That(lookups, Is.LessThanOrEqualTo(allowed), "unknown shops reach config-api at most at the budget's rate");
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200), "a connected shop still passes");
    }

    [Test]
    public async Task A_shop_connected_a_moment_ago_is_served_at_once()
    {
        var shop = await ConnectShopAsync();

        var delivery = await DeliverAsync(shop, "orders/create");

        Assert.That(delivery.Status, Is.EqualTo(200), delivery.ResponseBody);
    }

    [Test]
    public async Task A_source_past_its_refusals_is_answered_429_while_its_signed_deliveries_never_count()
    {
        var shop = await ConnectShopAsync();
        var source = NewSource();
        var forged = WebhookSignatures.ShopifyHmac(Body, "not-the-secret");
        for (var i = 1; i < 300; i++)
            using (var refused = await PostAsync(source, shop.Domain, Body, forged))
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // Signed deliveries from the same source: accepted, and they do not spend what is left.
        var order = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = 4242, ["created_at"] = DateTimeOffset.UtcNow.ToString("O") }.ToJsonString());
        for (var i = 0; i < 50; i++)
            using (var signed = await PostAsync(source, shop.Domain, order, WebhookSignatures.ShopifyHmac(order, shop.Secret)))
                Assert.That(signed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signed.Content.ReadAsStringAsync());
        using (var last = await PostAsync(source, shop.Domain, Body, forged))
            Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the 300th refusal");

        using var limited = await PostAsync(source, shop.Domain, order, WebhookSignatures.ShopifyHmac(order, shop.Secret));
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        var problem = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("too_many_refusals"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("demasiadas solicitudes"));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        using (var other = await PostAsync(NewSource(), shop.Domain, order, WebhookSignatures.ShopifyHmac(order, shop.Secret)))
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another source is not limited");
    }

    /// <summary>
    /// The measurement in docs/benchmarks.md, run on demand (MORFX_FLOOD_REQUESTS=200000): unknown shops from a new source
    /// each, 64 at a time, while a connected shop delivers a signed order every 100 ms.
    /// </summary>
    [Test, Category("Benchmark")]
    public async Task Flood_of_unknown_shops_measured()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("MORFX_FLOOD_REQUESTS"), out var requests)) Assert.Ignore("set MORFX_FLOOD_REQUESTS to measure");
        var shop = await ConnectShopAsync();
        Assert.That((await DeliverAsync(shop, "orders/create")).Status, Is.EqualTo(200));
        var lookupsBefore = ConfigApiOutage.ShopLookups;
        var (configTx, ingestTx) = (await TransactionsAsync(ResourceNames.ConfigDb), await TransactionsAsync(ResourceNames.IngestDb));

        using var stop = new CancellationTokenSource();
        var latencies = new List<double>();
        var signed = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var order = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = Random.Shared.NextInt64(1, long.MaxValue), ["created_at"] = DateTimeOffset.UtcNow.ToString("O") }.ToJsonString());
                var watch = Stopwatch.StartNew();
                using var response = await PostAsync("192.0.2.1", shop.Domain, order, WebhookSignatures.ShopifyHmac(order, shop.Secret));
                watch.Stop();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                lock (latencies) latencies.Add(watch.Elapsed.TotalMilliseconds);
                await Task.Delay(100);
            }
        });
        var clock = Stopwatch.StartNew();
        var statuses = await FloodAsync(requests, concurrency: 64, sourcePerRequest: true);
        clock.Stop();
        await stop.CancelAsync();
        await signed;

        var lookups = ConfigApiOutage.ShopLookups - lookupsBefore;
        var (configAfter, ingestAfter) = (await TransactionsAsync(ResourceNames.ConfigDb), await TransactionsAsync(ResourceNames.IngestDb));
        latencies.Sort();
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        TestContext.Out.WriteLine($"flood: {requests} unknown-shop requests, 64 concurrent, {clock.Elapsed.TotalSeconds:F1} s ({requests / clock.Elapsed.TotalSeconds:F0}/s); " +
            $"answers {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");
        TestContext.Out.WriteLine($"config-api shop look-ups {lookups}; transactions configdb {configAfter - configTx}, ingestdb {ingestAfter - ingestTx} " +
            $"(idle baseline: the change feed's read each second per reader, retention and the outbox dispatcher)");
        TestContext.Out.WriteLine($"signed webhook during the flood: {latencies.Count} sent, p50 {P(0.5):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms");
    }

    static async Task<Dictionary<int, int>> FloodAsync(int requests, int concurrency, bool sourcePerRequest)
    {
        var counts = new int[600];
        var next = -1;
        var hmac = WebhookSignatures.ShopifyHmac(Body, "not-the-secret");
        using var client = Ingest.CreateClient();
        var flooder = NewSource();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < requests)
            {
                var i = next;
                using var response = await SendAsync(client, sourcePerRequest ? NewSource() : flooder, $"desconocida-{Guid.NewGuid():N}"[..30] + ".myshopify.com", Body, hmac);
                Interlocked.Increment(ref counts[(int)response.StatusCode]);
            }
        })));
        return counts.Select((c, s) => (c, s)).Where(x => x.c > 0).ToDictionary(x => x.s, x => x.c);
    }

    static async Task<HttpResponseMessage> PostAsync(string source, string shopDomain, byte[] body, string hmac)
    {
        using var client = Ingest.CreateClient();
        return await SendAsync(client, source, shopDomain, body, hmac);
    }

    static async Task<HttpResponseMessage> SendAsync(HttpClient client, string source, string shopDomain, byte[] body, string hmac)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Forwarded-For", source);
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", shopDomain);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Hmac-Sha256", hmac);
        return await client.SendAsync(request);
    }

    static async Task<long> TransactionsAsync(string database)
    {
        await using var db = new NpgsqlConnection(TestInfrastructure.DatabaseConnectionString(database));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
