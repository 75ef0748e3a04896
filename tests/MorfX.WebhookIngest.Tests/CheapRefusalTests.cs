using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MorfX.ConfigApiClient;
using MorfX.Rules;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

/// <summary>
/// What an anonymous client on the internet can make webhook-ingest do: refusals that cost nothing, tell nothing about
/// which shops are customers, and never read a large body.
/// </summary>
public sealed class CheapRefusalTests
{
    [Test]
    public async Task An_unknown_shop_a_malformed_domain_and_a_bad_signature_get_the_same_401()
    {
        var shop = await ConnectShopAsync();
        var body = Encoding.UTF8.GetBytes("{\"id\": 1}");
        var wrongHmac = WebhookSignatures.ShopifyHmac(body, "not-the-secret");

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["bad signature"] = await ShopifyWebhookTests.PostAsync(shop.Domain, "orders/create", body, wrongHmac),
            ["no signature"] = await ShopifyWebhookTests.PostAsync(shop.Domain, "orders/create", body, null),
            ["unknown shop"] = await ShopifyWebhookTests.PostAsync("nadie-conectado.myshopify.com", "orders/create", body, wrongHmac),
            ["malformed domain"] = await ShopifyWebhookTests.PostAsync("../internal/twilio/x", "orders/create", body, wrongHmac),
            ["custom domain"] = await ShopifyWebhookTests.PostAsync("tienda.example.com", "orders/create", body, wrongHmac),
            ["no domain"] = await ShopifyWebhookTests.PostAsync(null, "orders/create", body, wrongHmac),
        };

        var seen = new Dictionary<string, string>();
        foreach (var (name, response) in answers)
        {
            using (response)
            {
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                problem.Remove("traceId"); // per request, by design
                seen[name] = $"{(int)response.StatusCode} {problem.ToJsonString()}";
            }
        }
        foreach (var (name, answer) in seen) TestContext.Out.WriteLine($"{name}: {answer}");
        Assert.That(seen.Values.Distinct(), Has.Exactly(1).Items, "one answer for all");
        Assert.That(seen["unknown shop"], Does.StartWith("401 ").And.Contain("\"code\":\"invalid_signature\""));
    }

    [Test]
    public async Task A_domain_that_cannot_be_a_shop_is_never_looked_up_and_unknown_shops_are_remembered_only_up_to_the_bound()
    {
        var configApi = new CountingConfigApi();
        using var lookup = new IntegrationLookup(() => new ConfigApiInternalClient(configApi.CreateClient("")),
            Options.Create(new ConfigApiClientOptions { MaxCached = 10, MaxCachedMisses = 10 }));
        lookup.ChangesReadAsOf(DateTimeOffset.UtcNow); // the change feed, read just now

        foreach (var domain in new[] { "../internal/twilio/x", "tienda.example.com", "TIENDA..myshopify.com", new string('a', 300) + ".myshopify.com", "" })
            Assert.That(await lookup.GetShopifyShopAsync(domain), Is.Null);
        Assert.That(configApi.Requests, Is.Zero, "nothing that cannot be a shop domain reaches config-api");

        Assert.That(await lookup.GetShopifyShopAsync("nadie.myshopify.com"), Is.Null);
        Assert.That(await lookup.GetShopifyShopAsync("NADIE.myshopify.com"), Is.Null);
        Assert.That(configApi.Requests, Is.EqualTo(1), "a miss is remembered");

        for (var i = 0; i < 500; i++) await lookup.GetShopifyShopAsync($"desconocida-{i}.myshopify.com");
        TestContext.Out.WriteLine($"misses remembered after 501 unknown shops: {lookup.CachedMisses} (bound 10); requests {configApi.Requests}");
        Assert.That(lookup.CachedMisses, Is.InRange(1, 10));
    }

    [TestCase("/webhooks/shopify", "application/json", 1024 * 1024)]
    [TestCase("/webhooks/twilio/status/{0}", "application/x-www-form-urlencoded", 64 * 1024)]
    [TestCase("/webhooks/twilio/inbound/{0}", "application/x-www-form-urlencoded", 64 * 1024)]
    public async Task An_endless_chunked_body_is_answered_413_and_the_connection_closed_without_reading_on(string route, string contentType, int limit)
    {
        var path = string.Format(route, Guid.NewGuid());
        const long giveUpAfter = 64L * 1024 * 1024;

        var (raw, sent) = await PostEndlessChunkedAsync(path, contentType, giveUpAfter);

        TestContext.Out.WriteLine($"{path}: limit {limit} bytes, client had sent {sent / 1024} KiB when the server answered and closed");
        Assert.That(raw, Does.StartWith("HTTP/1.1 413"), raw.Length > 300 ? raw[..300] : raw);
        Assert.That(raw, Does.Contain("\"code\":\"payload_too_large\""));
        Assert.That(sent, Is.LessThan(giveUpAfter), "the server stopped reading instead of draining the body");
    }

    /// <summary>
    /// A raw HTTP/1.1 POST whose chunked body never ends (up to giveUpAfter bytes), with the headers each route checks before
    /// reading: what HttpClient cannot send. Returns the raw response and how much was sent before the server closed.
    /// </summary>
    static async Task<(string Raw, long Sent)> PostEndlessChunkedAsync(string path, string contentType, long giveUpAfter)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Ingest.BaseAddress.Host, Ingest.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {Ingest.BaseAddress.Authority}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n" +
            "X-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: alguna-tienda.myshopify.com\r\nX-Shopify-Hmac-Sha256: eA==\r\n" +
            "X-Twilio-Signature: eA==\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var response = ReadToEndAsync(stream);
        var data = Encoding.ASCII.GetBytes("a=" + new string('a', 16 * 1024 - 2));
        var chunk = Encoding.ASCII.GetBytes($"{data.Length:x}\r\n").Concat(data).Concat("\r\n"u8.ToArray()).ToArray();
        long sent = 0;
        try
        {
            while (!response.IsCompleted && sent < giveUpAfter)
            {
                await stream.WriteAsync(chunk);
                sent += data.Length;
            }
        }
        catch (IOException) { } // the server closed the connection: what we want
        var raw = await response.WaitAsync(TimeSpan.FromSeconds(30));
        return (raw, sent);
    }

    static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException) { }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>config-api's internal look-up that knows no shop, counting the requests that reach it.</summary>
    sealed class CountingConfigApi : IHttpClientFactory
    {
        int _requests;
        public int Requests => Volatile.Read(ref _requests);

        public HttpClient CreateClient(string name) => new(new Handler(this), disposeHandler: true) { BaseAddress = new Uri("http://config-api.test") };

        sealed class Handler(CountingConfigApi owner) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                Interlocked.Increment(ref owner._requests);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }
        }
    }
}
