using System.Net;
using Microsoft.AspNetCore.Hosting;
using MorfX.ConfigApi;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

/// <summary>config-api's secret look-ups live on their own port (Internal:Port): the public port does not know them.</summary>
public class InternalEndpointTests
{
    [Test]
    public async Task Internal_look_ups_answer_only_on_the_internal_port()
    {
        var publicPort = TestInfrastructure.FreePort();
        var internalPort = TestInfrastructure.FreePort();
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);
        settings[InternalEndpoint.PortKey] = internalPort.ToString();
        await using var api = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, settings,
            b => b.WebHost.UseUrls($"http://127.0.0.1:{publicPort}", $"http://127.0.0.1:{internalPort}"));
        Assert.That(await api.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        var path = $"/internal/twilio/{Guid.NewGuid()}";

        using var onPublic = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{publicPort}") };
        using var onInternal = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{internalPort}") };
        // Forged Host headers do not help: the check is on the port the connection arrived at.
        var forged = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = $"127.0.0.1:{internalPort}" } };

        Assert.That((await onPublic.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await onPublic.SendAsync(forged)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        // On the internal port the route exists, and still wants the internal key.
        var internalAnswer = await onInternal.GetAsync(path);
        Assert.That(internalAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await internalAnswer.Content.ReadAsStringAsync(), Does.Contain("invalid_internal_key"));
        Assert.That((await onPublic.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
