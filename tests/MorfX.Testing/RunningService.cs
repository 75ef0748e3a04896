using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using MorfX.ServiceDefaults;

namespace MorfX.Testing;

/// <summary>A service (or emulator) running in the test process on a real Kestrel port, so services can call each other over HTTP.</summary>
public sealed class RunningService : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    public required Uri BaseAddress { get; init; }
    public IServiceProvider Services => App.Services;

    public static async Task<RunningService> StartAsync(
        Func<string[], Action<WebApplicationBuilder>?, WebApplication> build,
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure = null)
    {
        var app = build([], b =>
        {
            b.Environment.EnvironmentName = "Testing";
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseUrls("http://127.0.0.1:0");
            // Every problem a test drives is checked against what its operation declares in the OpenAPI document.
            b.Services.EnforceDeclaredProblems();
            configure?.Invoke(b);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningService { App = app, BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1")) };
    }

    public HttpClient CreateClient(string? bearerToken = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>Polls /health until it answers Healthy (the bus connects asynchronously after start).</summary>
    public async Task<string> WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await client.GetStringAsync("/health");
                if (last == "Healthy") return last;
            }
            catch (HttpRequestException e) { last = e.Message; }
            await Task.Delay(200);
        }
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
