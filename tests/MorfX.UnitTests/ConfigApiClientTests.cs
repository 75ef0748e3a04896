using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApiClient;
using MorfX.Contracts;
using NUnit.Framework;

namespace MorfX.UnitTests;

/// <summary>
/// config-api's look-up as the services register it: the typed client's address and key, the cache in front of it, and
/// the start-up check of its settings. config-api itself is a handler that records what reaches it.
/// </summary>
public class ConfigApiClientTests
{
    static readonly Guid Workspace = Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001");

    static ConfiguredSettings Register(ConfigApiStub configApi, params (string, string)[] values) => new((s, c) =>
    {
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

    sealed class ConfigApiStub : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var key = request.Headers.TryGetValues(ConfigApiInternalClient.InternalKeyHeader, out var values) ? string.Join(",", values) : "(none)";
            Requests.Add($"{request.RequestUri} key={key}");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"workspaceId":"{{Workspace}}","accountSid":"AC123","authToken":"secreto","fromNumber":"+15005550006","status":"connected"}""",
                    System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
