using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MorfX.DevTokens;
using MorfX.ServiceDefaults;
using Npgsql;

/// <summary>
/// `--reconcile-shops N`: what reconciliation costs (docs/decisions/0027). Connects N shops through config-api (the Shopify
/// emulator in demo mode accepts any token), waits until each has had its first pass, then makes every shop due at once
/// and times one pass over all of them: wall time, Admin API calls (the emulator's count), and the CPU of config-api, the
/// emulator and PostgreSQL. Per shop per hour follows from the interval (5 minutes: 12 passes an hour). The emulator
/// answers in microseconds; a real shop's Admin API takes 100–300 ms a call, which the concurrency bound absorbs.
/// </summary>
static class ReconcileBench
{
    public static async Task<int> RunAsync(HttpClient http, Options o, JsonSerializerOptions json)
    {
        var n = o.ReconcileShops;
        var shopify = $"http://127.0.0.1:{ResourceMap.Current["shopify-emulator"].Port}";
        var processes = ProcessWatch.Find(o);

        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = o.SetupParallelism }, async (_, ct) =>
        {
            var id = Guid.NewGuid();
            var token = DevelopmentTokens.Create(o.SigningKey, id, Roles.Owner, "bench", TimeSpan.FromHours(2));
            using var request = new HttpRequestMessage(HttpMethod.Put, $"{o.Config}/api/integrations/shopify")
            {
                Content = JsonContent.Create(new
                {
                    shopDomain = $"rec-{id:N}".Substring(0, 24) + ".myshopify.com", accessToken = "shpat_" + Guid.NewGuid().ToString("N"),
                    clientSecret = "shpss_" + Guid.NewGuid().ToString("N"),
                }),
            };
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"shop refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        });
        Console.WriteLine($"{n} shops connected in {setup.Elapsed.TotalSeconds:F1} s");

        await using var db = await OpenConfigDbAsync(o.PostgresPort);
        await WaitAsync(db, "SELECT count(*) FROM shopify_integrations WHERE last_reconciled_at IS NULL", TimeSpan.FromMinutes(10), "every shop's first pass");

        var calls = await AdminCallsAsync(http, shopify);
        var before = processes.Sample();
        var clock = Stopwatch.StartNew();
        var start = await ScalarAsync<DateTime>(db, "SELECT now()");
        await ScalarAsync<int>(db, "WITH due AS (UPDATE shopify_integrations SET reconcile_due_at = now() RETURNING 1) SELECT count(*)::int FROM due");
        await WaitAsync(db, $"SELECT count(*) FROM shopify_integrations WHERE last_reconciled_at IS NULL OR last_reconciled_at < '{start:O}'",
            TimeSpan.FromMinutes(30), "one pass over every shop");
        var seconds = clock.Elapsed.TotalSeconds;
        var use = ProcessWatch.Between(before, processes.Sample(), clock.Elapsed);
        var passCalls = await AdminCallsAsync(http, shopify) - calls;

        double Cpu(string name) => use.TryGetValue(name, out var u) ? u.CpuSeconds : 0;
        var configCpuMs = 1000 * Cpu(ResourceNames.ConfigApi) / n;
        var report = new
        {
            shops = n, passSeconds = Math.Round(seconds, 1), shopsPerSecond = Math.Round(n / seconds, 0),
            adminCallsPerShopPerPass = Math.Round((double)passCalls / n, 2), adminCallsPerShopPerHour = Math.Round(12.0 * passCalls / n, 1),
            configApiCpuMsPerShopPerPass = Math.Round(configCpuMs, 2), configApiCpuMsPerShopPerHour = Math.Round(12 * configCpuMs, 1),
            postgresCpuMsPerShopPerPass = Math.Round(1000 * Cpu(ResourceNames.Postgres) / n, 2),
            emulatorCpuMsPerShopPerPass = Math.Round(1000 * Cpu("shopify-emulator") / n, 2),
            cpuPercentOfOneCore = use.ToDictionary(u => u.Key, u => u.Value.PercentOfOneCore),
        };
        Directory.CreateDirectory(o.Out);
        await File.WriteAllTextAsync(Path.Combine(o.Out, "reconcile.json"), JsonSerializer.Serialize(report, json));
        Console.WriteLine(JsonSerializer.Serialize(report, json));
        return 0;
    }

    static async Task<NpgsqlConnection> OpenConfigDbAsync(int port)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=morfx_configdb;Pooling=false;Timeout=5");
        await connection.OpenAsync();
        return connection;
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    static async Task WaitAsync(NpgsqlConnection db, string remainingSql, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await ScalarAsync<long>(db, remainingSql) is var left && left > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: {left} shops left after {timeout}");
            await Task.Delay(250);
        }
    }

    static async Task<long> AdminCallsAsync(HttpClient http, string shopify)
    {
        var stats = await http.GetFromJsonAsync<JsonObject>($"{shopify}/_emulator/stats");
        return stats?["adminCalls"]?.AsObject().Sum(c => c.Value?.GetValue<long>() ?? 0) ?? 0;
    }
}
