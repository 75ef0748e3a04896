using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MorfX.DevTokens;
using MorfX.ServiceDefaults;

/// <summary>A workspace of the benchmark: its own shop, Twilio account and automation, set up through the public APIs.</summary>
sealed record BenchWorkspace(Guid Id, string Token, string AccountSid, string ShopDomain, string Secret)
{
    /// <summary>n fresh workspaces, set up at most <see cref="Options.SetupParallelism"/> at a time.</summary>
    public static async Task<List<BenchWorkspace>> SetUpAsync(HttpClient http, Options o, int n)
    {
        var workspaces = new BenchWorkspace[n];
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = o.SetupParallelism },
            async (i, _) => workspaces[i] = await SetUpAsync(http, o));
        return [.. workspaces];
    }

    /// <summary>A fresh workspace with Twilio and Shopify connected and one enabled automation.</summary>
    public static async Task<BenchWorkspace> SetUpAsync(HttpClient http, Options o)
    {
        var id = Guid.NewGuid();
        var token = DevelopmentTokens.Create(o.SigningKey, id, Roles.Owner, "bench", TimeSpan.FromHours(2));
        var w = new BenchWorkspace(id, token, "AC" + Guid.NewGuid().ToString("N"), $"bench-{id:N}.myshopify.com", "shpss_" + Guid.NewGuid().ToString("N"));
        var authToken = Guid.NewGuid().ToString("N");
        await Ok(http.PostAsJsonAsync($"{o.Twilio}/_emulator/accounts", new { accountSid = w.AccountSid, authToken }));
        await Ok(w.SendAsync(http, HttpMethod.Put, $"{o.Config}/api/integrations/twilio", new { accountSid = w.AccountSid, authToken, phoneNumber = "+15005550006" }));
        await Ok(w.SendAsync(http, HttpMethod.Put, $"{o.Config}/api/integrations/shopify",
            new { shopDomain = w.ShopDomain, accessToken = "shpat_" + Guid.NewGuid().ToString("N"), clientSecret = w.Secret, defaultCountry = "CO" }));
        var automation = new
        {
            name = "Benchmark", trigger = "shopify.order_created", enabled = true,
            actions = new[] { new { type = "send_sms", config = new Dictionary<string, string> { ["to"] = "{{cliente.telefono}}", ["body"] = "Hola {{cliente.nombre}}, orden {{orden.numero}} recibida" } } },
        };
        for (var attempt = 0; ; attempt++)
        {
            using var response = await w.SendAsync(http, HttpMethod.Post, $"{o.Engine}/api/automations", automation);
            if (response.StatusCode == HttpStatusCode.Created) break;
            if (attempt > 150) throw new InvalidOperationException($"automation refused: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200); // the engine learns the integrations from IntegrationChanged
        }
        return w;
    }

    public Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http.SendAsync(request);
    }

    static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
