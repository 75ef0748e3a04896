using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// config-api's look-up as the services register it: the typed client's address and key, the cache in front of it, and
/// the start-up check of its settings. config-api itself is a handler that records what reaches it.
/// </summary>
public class ConfigApiClientTests
{
    static readonly Guid Workspace = Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001");

    static ConfiguredSettings Register(ConfigApiStub configApi, params (string, string)[] values) => Register(configApi, null, values);

    static ConfiguredSettings Register(ConfigApiStub configApi, TimeProvider? clock, params (string, string)[] values) => new((s, c) =>
    {
        if (clock is not null) s.AddSingleton(clock);
        s.AddIntegrationLookup(c);
        s.AddHttpClient<ConfigApiInternalClient>().ConfigurePrimaryHttpMessageHandler(() => configApi);
    }, values);

    static readonly (string, string)[] Valid = [("Services:ConfigApi", "http://config-api.test:8081"), ("Internal:ServiceKey", "clave-interna")];

    [Test]
    public void Without_the_internal_key_the_service_does_not_start()
    {
        using var settings = Register(new ConfigApiStub(), ("Services:ConfigApi", "http://config-api.test:8081"));
        Assert.That(settings.StartupFailure(), Does.Contain("Internal:ServiceKey"));
    }

    [Test]
    public void A_config_api_address_that_is_not_http_stops_start_up()
    {
        using var settings = Register(new ConfigApiStub(), ("Services:ConfigApi", "config-api:8081"), ("Internal:ServiceKey", "k"));
        Assert.That(settings.StartupFailure(), Does.Contain("Services:ConfigApi must be an absolute http(s) URL"));
    }

    [Test]
    public void A_cache_bound_of_zero_stops_start_up()
    {
        using var settings = Register(new ConfigApiStub(), [.. Valid, ("IntegrationLookup:MaxCachedMisses", "0")]);
        Assert.That(settings.StartupFailure(), Does.Contain("MaxCachedMisses"));
    }

    [Test]
    public async Task Credentials_are_asked_for_once_with_the_internal_key_and_again_after_the_integration_changes()
    {
        var configApi = new ConfigApiStub();
        using var settings = Register(configApi, Valid);
        Assert.That(settings.StartupFailure(), Is.Null);
        var lookup = settings.Services.GetRequiredService<IntegrationLookup>();
        lookup.ChangesReadAsOf(DateTimeOffset.UtcNow);

        var first = await lookup.GetTwilioAsync(Workspace);
        var second = await lookup.GetTwilioAsync(Workspace);
        lookup.Invalidate(new IntegrationChanged(Workspace, "twilio", "connected", null, null, DateTimeOffset.UtcNow));
        await lookup.GetTwilioAsync(Workspace);

        Assert.Multiple(() =>
        {
            Assert.That(first?.AccountSid, Is.EqualTo("AC123"));
            Assert.That(second, Is.SameAs(first), "the second answer comes from the cache");
            Assert.That(configApi.Requests, Is.EqualTo(new[]
            {
                $"http://config-api.test:8081/internal/twilio/{Workspace} key=clave-interna",
                $"http://config-api.test:8081/internal/twilio/{Workspace} key=clave-interna",
            }));
        });
    }

    (IntegrationLookup Lookup, ConfigApiStub ConfigApi, ManualClock Clock, ConfiguredSettings Settings) Lookup()
    {
        var configApi = new ConfigApiStub();
        var clock = new ManualClock();
        var settings = Register(configApi, clock, Valid);
        var lookup = settings.Services.GetRequiredService<IntegrationLookup>();
        // The change feed is read as the clock moves (the tests of the feed itself move it alone).
        clock.Advanced += () => lookup.ChangesReadAsOf(clock.GetUtcNow());
        lookup.ChangesReadAsOf(clock.GetUtcNow());
        return (lookup, configApi, clock, settings);
    }

    [Test]
    public async Task Concurrent_look_ups_of_one_workspace_share_one_call()
    {
        var (lookup, configApi, _, settings) = Lookup();
        using var owned = settings;
        configApi.Hold();

        var answers = Enumerable.Range(0, 20).Select(_ => lookup.GetTwilioAsync(Workspace)).ToList();
        await Task.Delay(100);
        configApi.Release();

        Assert.That((await Task.WhenAll(answers)).Select(a => a?.AccountSid), Is.All.EqualTo("AC123"));
        Assert.That(configApi.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_answer_near_its_expiry_is_served_at_once_while_one_call_renews_it()
    {
        var (lookup, configApi, clock, settings) = Lookup();
        using var owned = settings;
        var first = await lookup.GetTwilioAsync(Workspace);
        clock.Advance(IntegrationLookup.RefreshAfter + TimeSpan.FromSeconds(1));
        configApi.Hold();

        // config-api is slow now: the answers still come from the cache, and only one renewal is asked for.
        for (var i = 0; i < 10; i++) Assert.That(await lookup.GetTwilioAsync(Workspace).WaitAsync(TimeSpan.FromSeconds(1)), Is.SameAs(first));
        Assert.That(configApi.Requests, Has.Count.EqualTo(2));
        configApi.Release();
        await Eventually.Get(() => lookup.GetTwilioAsync(Workspace), a => !ReferenceEquals(a, first), TimeSpan.FromSeconds(5), "the renewed answer");

        clock.Advance(IntegrationLookup.RefreshAfter - TimeSpan.FromSeconds(1));
        await lookup.GetTwilioAsync(Workspace);
        Assert.That(configApi.Requests, Has.Count.EqualTo(2), "the renewal counts from when it was fetched");
    }

    [Test]
    public async Task After_a_quiet_spell_the_first_order_is_served_from_the_cache_while_one_call_renews_it()
    {
        var (lookup, configApi, clock, settings) = Lookup();
        using var owned = settings;
        var first = await lookup.GetTwilioAsync(Workspace);
        clock.Advance(TimeSpan.FromMinutes(5));
        configApi.Hold();

        // A workspace quiet for minutes does not wait for config-api on its next order (every workspace of a burst did).
        Assert.That(await lookup.GetTwilioAsync(Workspace).WaitAsync(TimeSpan.FromSeconds(1)), Is.SameAs(first));
        Assert.That(configApi.Requests, Has.Count.EqualTo(2), "one renewal, in the background");
        configApi.Release();
        await Eventually.Get(() => lookup.GetTwilioAsync(Workspace), a => !ReferenceEquals(a, first), TimeSpan.FromSeconds(5), "the renewed answer");
    }

    [Test]
    public async Task A_shop_not_found_is_asked_for_again_before_use_after_a_minute()
    {
        var (lookup, configApi, clock, settings) = Lookup();
        using var owned = settings;
        configApi.NotFound = true;
        Assert.That(await lookup.GetShopifyShopAsync("nueva.myshopify.com"), Is.Null);
        clock.Advance(IntegrationLookup.MissTtl);
        configApi.NotFound = false;
        configApi.Hold();

        // A miss is not served stale for long: a shop connected meanwhile (its IntegrationChanged missed) is found within a minute.
        var answer = lookup.GetShopifyShopAsync("nueva.myshopify.com");
        await Task.Delay(100);
        Assert.That(answer.IsCompleted, Is.False, "past a minute the miss waits for config-api");
        configApi.Release();
        var shop = await answer;
        Assert.That((shop?.WorkspaceId, shop?.ShopDomain), Is.EqualTo((Workspace, "nueva.myshopify.com")));
    }

    [Test]
    public async Task An_expired_answer_is_looked_up_again_before_it_is_used()
    {
        var (lookup, configApi, clock, settings) = Lookup();
        using var owned = settings;
        await lookup.GetTwilioAsync(Workspace);
        clock.Advance(IntegrationLookup.Ttl);
        configApi.Hold();

        var answer = lookup.GetTwilioAsync(Workspace);
        await Task.Delay(100);
        Assert.That(answer.IsCompleted, Is.False, "past its expiry the answer waits for config-api");
        configApi.Release();
        Assert.That((await answer)?.AccountSid, Is.EqualTo("AC123"));
        Assert.That(configApi.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task What_a_call_read_before_the_integration_changed_is_not_cached()
    {
        var (lookup, configApi, _, settings) = Lookup();
        using var owned = settings;
        configApi.Hold();
        var before = lookup.GetTwilioAsync(Workspace);
        await Task.Delay(50);
        lookup.Invalidate(new IntegrationChanged(Workspace, "twilio", "connected", null, null, DateTimeOffset.UtcNow));
        configApi.Release();
        await before;

        await lookup.GetTwilioAsync(Workspace);
        Assert.That(configApi.Requests, Has.Count.EqualTo(2), "the answer after the change is asked for again");
    }

    [Test]
    public async Task Everything_cached_is_asked_for_again_once_the_invalidation_queue_is_back_after_a_gap()
    {
        var configApi = new ConfigApiStub();
        using var settings = Register(configApi, Valid);
        var lookup = settings.Services.GetRequiredService<IntegrationLookup>();
        lookup.ChangesReadAsOf(DateTimeOffset.UtcNow);
        var observer = new InvalidationGapObserver(lookup, Microsoft.Extensions.Logging.Abstractions.NullLogger<InvalidationGapObserver>.Instance);
        await lookup.GetTwilioAsync(Workspace);

        // Another endpoint's reconnect changes nothing; the invalidation queue's (temporary, so gone while disconnected) does.
        await observer.Ready(new Ready(new Uri("rabbitmq://localhost/sms-sender-sms-requested")));
        await lookup.GetTwilioAsync(Workspace);
        Assert.That(configApi.Requests, Has.Count.EqualTo(1));
        await observer.Ready(new Ready(new Uri($"rabbitmq://localhost/sms-sender-{InvalidationGapObserver.EndpointName}-0a1b2c3d?temporary=true")));
        await lookup.GetTwilioAsync(Workspace);

        Assert.That(configApi.Requests, Has.Count.EqualTo(2), "the credentials are asked for again: a change may have been missed");
    }

    (IntegrationLookup Lookup, IntegrationChangeFeed Feed, ConfigApiStub ConfigApi, ManualClock Clock, ConfiguredSettings Settings) LookupWithFeed()
    {
        var configApi = new ConfigApiStub();
        var clock = new ManualClock();
        var settings = Register(configApi, clock, Valid);
        return (settings.Services.GetRequiredService<IntegrationLookup>(), settings.Services.GetRequiredService<IntegrationChangeFeed>(),
            configApi, clock, settings);
    }

    [Test]
    public async Task A_cached_token_is_not_used_once_the_change_feed_has_gone_unread_for_five_seconds()
    {
        var (lookup, feed, configApi, clock, settings) = LookupWithFeed();
        using var owned = settings;
        await feed.PollAsync(CancellationToken.None);
        var first = await lookup.GetTwilioAsync(Workspace);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.That(await lookup.GetTwilioAsync(Workspace), Is.SameAs(first), "served from the cache while the feed is read");

        // The feed cannot be read any more (config-api unreachable): at 5 s the cached token is not used, config-api's failure is the answer.
        clock.Advance(TimeSpan.FromSeconds(1));
        configApi.Down = true;
        Assert.ThrowsAsync<HttpRequestException>(() => feed.PollAsync(CancellationToken.None));
        Assert.ThrowsAsync<HttpRequestException>(() => lookup.GetTwilioAsync(Workspace));
        Assert.That(lookup.IsCurrent, Is.False);

        configApi.Down = false;
        await feed.PollAsync(CancellationToken.None);
        var again = await lookup.GetTwilioAsync(Workspace);
        Assert.That(await lookup.GetTwilioAsync(Workspace), Is.SameAs(again), "cached again once the feed is read");
    }

    [Test]
    public async Task A_change_in_the_feed_drops_the_cached_answers_without_any_message()
    {
        var (lookup, feed, configApi, _, settings) = LookupWithFeed();
        using var owned = settings;
        configApi.Feed = """{"head":3,"startOver":true,"changes":[]}""";
        await feed.PollAsync(CancellationToken.None);
        await lookup.GetTwilioAsync(Workspace);
        configApi.NotFound = true;
        Assert.That(await lookup.GetShopifyShopAsync("nueva.myshopify.com"), Is.Null);
        configApi.NotFound = false;
        configApi.Feed = """{"head":3,"startOver":false,"changes":[]}""";
        await feed.PollAsync(CancellationToken.None);
        await lookup.GetTwilioAsync(Workspace);
        Assert.That(configApi.LookUps, Is.EqualTo(2), "cached while nothing changed");

        configApi.Feed = $$"""{"head":4,"startOver":false,"changes":[{"seq":4,"workspaceId":"{{Workspace}}","integration":"shopify","shopDomain":"nueva.myshopify.com"}]}""";
        await feed.PollAsync(CancellationToken.None);
        var shop = await lookup.GetShopifyShopAsync("nueva.myshopify.com");
        await lookup.GetTwilioAsync(Workspace);

        Assert.Multiple(() =>
        {
            Assert.That(shop?.WorkspaceId, Is.EqualTo(Workspace), "the shop connected since is found at once, not a minute later");
            Assert.That(configApi.LookUps, Is.EqualTo(4), "the workspace's credentials are asked for again");
            Assert.That(configApi.Requests.Where(r => r.Contains("integration-changes", StringComparison.Ordinal)).Select(r => r.Split(' ')[0]),
                Is.EqualTo(new[]
                {
                    "http://config-api.test:8081/internal/integration-changes", "http://config-api.test:8081/internal/integration-changes?after=3",
                    "http://config-api.test:8081/internal/integration-changes?after=3",
                }));
        });
    }

    [Test]
    public async Task A_feed_that_cannot_be_continued_drops_everything_cached()
    {
        var (lookup, feed, configApi, _, settings) = LookupWithFeed();
        using var owned = settings;
        configApi.Feed = """{"head":3,"startOver":true,"changes":[]}""";
        await feed.PollAsync(CancellationToken.None);
        await lookup.GetTwilioAsync(Workspace);

        // The instance was away longer than config-api keeps changes: it cannot know what changed, so nothing cached is trusted.
        configApi.Feed = """{"head":900,"startOver":true,"changes":[]}""";
        await feed.PollAsync(CancellationToken.None);
        await lookup.GetTwilioAsync(Workspace);

        Assert.That(configApi.LookUps, Is.EqualTo(2));
        Assert.That(lookup.IsCurrent, Is.True);
    }

    sealed record Ready(Uri InputAddress) : MassTransit.ReceiveEndpointReady
    {
        public MassTransit.IReceiveEndpoint ReceiveEndpoint => null!;
        public bool IsStarted => true;
    }

    sealed class ConfigApiStub : HttpMessageHandler
    {
        TaskCompletionSource _open = Opened();

        public List<string> Requests { get; } = [];

        /// <summary>config-api answers 404: the integration is not connected.</summary>
        public bool NotFound { get; set; }

        /// <summary>config-api cannot be reached.</summary>
        public bool Down { get; set; }

        /// <summary>What the change feed answers.</summary>
        public string Feed { get; set; } = """{"head":0,"startOver":true,"changes":[]}""";

        /// <summary>Look-ups of a secret (not feed or key-set reads) that reached config-api.</summary>
        public int LookUps
        {
            get { lock (Requests) return Requests.Count(r => !r.Contains("/internal/integration-", StringComparison.Ordinal)); }
        }

        static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        /// <summary>Answers wait until <see cref="Release"/>: a slow config-api.</summary>
        public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _open.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var key = request.Headers.TryGetValues(ConfigApiInternalClient.InternalKeyHeader, out var values) ? string.Join(",", values) : "(none)";
            lock (Requests) Requests.Add($"{request.RequestUri} key={key}");
            await _open.Task.WaitAsync(ct);
            if (Down) throw new HttpRequestException("config-api is down");
            if (request.RequestUri!.AbsolutePath == "/internal/integration-changes")
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Feed, System.Text.Encoding.UTF8, "application/json") };
            if (NotFound) return new HttpResponseMessage(HttpStatusCode.NotFound);
            // config-api's two internal answers: a connected shop, or a workspace's Twilio credentials.
            var body = request.RequestUri!.AbsolutePath.StartsWith("/internal/shopify/", StringComparison.Ordinal)
                ? $$"""{"workspaceId":"{{Workspace}}","shopDomain":"{{request.RequestUri.Segments[^1]}}","status":"connected","clientSecret":"secreto","previousClientSecret":null,"defaultCountry":"CO","autoSyncOrders":true}"""
                : $$"""{"workspaceId":"{{Workspace}}","accountSid":"AC123","authToken":"secreto","fromNumber":"+15005550006","status":"connected"}""";
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body,
                    System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }
}
