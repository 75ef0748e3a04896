using System.Net.Http.Headers;

namespace MorfX.EndToEnd.Tests;

/// <summary>One service or emulator of the system under test, by its AppHost resource name and the address it listens on.</summary>
public sealed class SystemService(string resourceName, Uri baseAddress)
{
    public string ResourceName { get; } = resourceName;
    public Uri BaseAddress { get; } = baseAddress;

    public HttpClient CreateClient(string? bearerToken = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>Polls /health until it answers Healthy (database and broker); returns the last answer.</summary>
    public async Task<string> WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await client.GetStringAsync("/health");
                if (last == "Healthy") return last;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e.Message; }
            await Task.Delay(200);
        }
        return last;
    }

    public override string ToString() => $"{ResourceName} {BaseAddress}";
}
