using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MorfX.ServiceDefaults;
using MorfX.ServiceDefaults.Messaging;

// Drives signed Shopify "orders/create" webhooks at each chosen rate into the system started by `deploy/local/morfx up`
// (with its Twilio emulator), and measures what a store owner cares about: webhooks accepted per second, orders turned
// into an SMS at Twilio per second, the latency of both, SMS lost or sent twice, and each process's peak memory.
//   MorfX.Benchmark --rates 100,200,400 --duration 20 --out bench-results
var options = Options.Parse(args);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{ Timeout = TimeSpan.FromSeconds(30) };

var results = new List<RateResult>();
Directory.CreateDirectory(options.Out);
foreach (var rate in options.Rates)
{
    var workspace = await Setup.WorkspaceAsync(http, options);
    Console.WriteLine($"rate {rate}/s for {options.Duration}s (workspace {workspace.Id})");
    var result = await Run.AtRateAsync(http, options, workspace, rate);
    results.Add(result);
    Console.WriteLine(result.Summary());
    await File.WriteAllLinesAsync(Path.Combine(options.Out, $"latency-{rate}.dat"),
        result.Samples.Select(s => FormattableString.Invariant($"{s.SentAtSeconds:F3} {s.WebhookMs:F1} {s.EndToEndMs?.ToString("F1", CultureInfo.InvariantCulture) ?? "NaN"}")));
}

var memory = Memory.PeakPerProcess(options.State);
var report = new { machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString() }, duration = options.Duration, results = results.Select(r => r.Report()), peakMemoryMb = memory };
await File.WriteAllTextAsync(Path.Combine(options.Out, "result.json"), JsonSerializer.Serialize(report, json));
Plot.Write(options.Out, results.Select(r => r.Rate).ToList());
Console.WriteLine("peak memory (MiB): " + string.Join(", ", memory.Select(m => $"{m.Key} {m.Value}")));
Console.WriteLine($"wrote {Path.Combine(options.Out, "result.json")} and latency.png");
var sustained = results.Where(r => r.Lost == 0 && r.Duplicated == 0 && r.EndToEnd.P99 < 1000).Select(r => (int?)r.Rate).Max();
Console.WriteLine(sustained is null ? "no rate met p99 < 1 s with zero loss" : $"highest sustained rate with p99 end-to-end < 1 s and zero loss: {sustained}/s");
return results.Any(r => r.Lost > 0 || r.Duplicated > 0) ? 1 : 0;

sealed record Options(int[] Rates, int Duration, string Out, string State, string SigningKey, string Ingest, string Config, string Engine, string Twilio)
{
    public static Options Parse(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var state = Arg("--state", Environment.GetEnvironmentVariable("MORFX_STATE") ?? ".morfx");
        return new Options(
            [.. Arg("--rates", "100,200,400").Split(',').Select(int.Parse)], int.Parse(Arg("--duration", "20")), Arg("--out", "bench-results"), state,
            Environment.GetEnvironmentVariable("SIGNING_KEY") ?? throw new InvalidOperationException("SIGNING_KEY (from .morfx/secrets.env) is required"),
            Arg("--ingest", "http://127.0.0.1:5101"), Arg("--config", "http://127.0.0.1:5104"), Arg("--engine", "http://127.0.0.1:5102"), Arg("--twilio", "http://127.0.0.1:5180"));
    }
}

sealed record BenchWorkspace(Guid Id, string Token, string AccountSid, string ShopDomain, string Secret);

static class Setup
{
    /// <summary>A fresh workspace with Twilio and Shopify connected and one enabled automation, all through the public APIs.</summary>
    public static async Task<BenchWorkspace> WorkspaceAsync(HttpClient http, Options o)
    {
        var id = Guid.NewGuid();
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtSettings.DefaultIssuer, Audience = JwtSettings.DefaultAudience, Expires = DateTime.UtcNow.AddHours(2),
            SigningCredentials = new SigningCredentials(new JwtSettings("", "", o.SigningKey).Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity([new Claim("sub", "bench"), new Claim("workspace_id", id.ToString()), new Claim("role", "owner")]),
        });
        var w = new BenchWorkspace(id, token, "AC" + Guid.NewGuid().ToString("N"), $"bench-{id.ToString("N")[..8]}.myshopify.com", "shpss_" + Guid.NewGuid().ToString("N"));
        var authToken = Guid.NewGuid().ToString("N");
        await Ok(http.PostAsJsonAsync($"{o.Twilio}/_emulator/accounts", new { accountSid = w.AccountSid, authToken }));
        await Ok(Send(http, HttpMethod.Put, $"{o.Config}/api/integrations/twilio", token, new { accountSid = w.AccountSid, authToken, phoneNumber = "+15005550006" }));
        await Ok(Send(http, HttpMethod.Put, $"{o.Config}/api/integrations/shopify", token,
            new { shopDomain = w.ShopDomain, accessToken = "shpat_" + Guid.NewGuid().ToString("N"), clientSecret = w.Secret, defaultCountry = "CO" }));
        var automation = new
        {
            name = "Benchmark", trigger = "shopify.order_created", enabled = true,
            actions = new[] { new { type = "send_sms", config = new Dictionary<string, string> { ["to"] = "{{cliente.telefono}}", ["body"] = "Hola {{cliente.nombre}}, orden {{orden.numero}} recibida" } } },
        };
        for (var attempt = 0; ; attempt++)
        {
            using var response = await Send(http, HttpMethod.Post, $"{o.Engine}/api/automations", token, automation);
            if (response.StatusCode == HttpStatusCode.Created) break;
            if (attempt > 100) throw new InvalidOperationException($"automation refused: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200); // the engine learns the integrations from IntegrationChanged
        }
        return w;
    }

    static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string url, string token, object body)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

sealed record Sample(int Seq, double SentAtSeconds, double WebhookMs, double? EndToEndMs);

sealed record Percentiles(double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new(At(0.50), At(0.95), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }
}

sealed record RateResult(int Rate, int Sent, int Accepted, int Retries, double AcceptedPerSecond, double EndToEndPerSecond,
    Percentiles Webhook, Percentiles EndToEnd, int Lost, int Duplicated, List<Sample> Samples)
{
    public string Summary() => FormattableString.Invariant(
        $"  accepted {Accepted}/{Sent} ({Retries} retries) at {AcceptedPerSecond:F1}/s; end-to-end {EndToEndPerSecond:F1}/s; webhook p50/p95/p99 {Webhook.P50:F0}/{Webhook.P95:F0}/{Webhook.P99:F0} ms; end-to-end p50/p95/p99 {EndToEnd.P50:F0}/{EndToEnd.P95:F0}/{EndToEnd.P99:F0} ms; lost {Lost}, duplicated {Duplicated}");

    public object Report() => new { Rate, Sent, Accepted, Retries, AcceptedPerSecond, EndToEndPerSecond, webhookLatencyMs = Webhook, endToEndLatencyMs = EndToEnd, Lost, Duplicated };
}

static class Run
{
    public static async Task<RateResult> AtRateAsync(HttpClient http, Options o, BenchWorkspace w, int rate)
    {
        var total = rate * o.Duration;
        var sentAt = new DateTimeOffset[total];
        var webhookMs = new double[total];
        var accepted = new bool[total];
        var retries = 0;
        var clock = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            // Open loop: each order leaves on its schedule whether or not earlier ones were answered.
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var seq = i;
            tasks.Add(Task.Run(async () =>
            {
                sentAt[seq] = DateTimeOffset.UtcNow;
                var began = clock.Elapsed;
                var body = Encoding.UTF8.GetBytes(OrderJson(seq));
                var webhookId = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"{o.Ingest}/webhooks/shopify") { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new("application/json");
                    request.Headers.Add("X-Shopify-Topic", "orders/create");
                    request.Headers.Add("X-Shopify-Hmac-Sha256", WebhookSignatures.ShopifyHmac(body, w.Secret));
                    request.Headers.Add("X-Shopify-Shop-Domain", w.ShopDomain);
                    request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
                    request.Headers.Add("X-Shopify-API-Version", "2025-07");
                    try
                    {
                        using var response = await http.SendAsync(request);
                        if (response.StatusCode == HttpStatusCode.OK) { accepted[seq] = true; break; }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                    Interlocked.Increment(ref retries);
                    await Task.Delay(200 * (attempt + 1));
                }
                webhookMs[seq] = (clock.Elapsed - began).TotalMilliseconds;
            }));
        }
        await Task.WhenAll(tasks);
        var drivingSeconds = clock.Elapsed.TotalSeconds;
        var acceptedCount = accepted.Count(a => a);

        // Wait for the SMS of every accepted order to reach the Twilio emulator (or for the stream to stop growing).
        List<JsonObject> messages = [];
        var lastGrowth = Stopwatch.StartNew();
        while (true)
        {
            var all = (await http.GetFromJsonAsync<List<JsonObject>>($"{o.Twilio}/_emulator/messages"))!;
            var mine = all.Where(m => m["accountSid"]?.GetValue<string>() == w.AccountSid).ToList();
            if (mine.Count > messages.Count) lastGrowth.Restart();
            messages = mine;
            if (messages.Count >= acceptedCount && lastGrowth.Elapsed > TimeSpan.FromSeconds(3)) break;
            if (lastGrowth.Elapsed > TimeSpan.FromSeconds(30)) break;
            await Task.Delay(500);
        }

        var bySeq = messages.GroupBy(m => SeqOf(m["body"]!.GetValue<string>())).ToDictionary(g => g.Key, g => g.ToList());
        var samples = Enumerable.Range(0, total).Select(i =>
        {
            double? e2e = bySeq.TryGetValue(i, out var m) ? (m.Min(x => x["createdAt"]!.GetValue<DateTimeOffset>()) - sentAt[i]).TotalMilliseconds : null;
            return new Sample(i, (sentAt[i] - start).TotalSeconds, webhookMs[i], e2e);
        }).ToList();
        var delivered = samples.Where(s => s.EndToEndMs is not null).ToList();
        var lastCreated = messages.Count == 0 ? start : messages.Max(m => m["createdAt"]!.GetValue<DateTimeOffset>());
        return new RateResult(rate, total, acceptedCount, retries, acceptedCount / drivingSeconds,
            delivered.Count / Math.Max(0.001, (lastCreated - start).TotalSeconds),
            Percentiles.Of(samples.Where((_, i) => accepted[i]).Select(s => s.WebhookMs)), Percentiles.Of(delivered.Select(s => s.EndToEndMs!.Value)),
            Lost: Enumerable.Range(0, total).Count(i => accepted[i] && !bySeq.ContainsKey(i)),
            Duplicated: bySeq.Values.Sum(g => g.Count - 1), samples);
    }

    // The order number carries the sequence, so each SMS body says which order it answers.
    static string OrderJson(int seq) => new JsonObject
    {
        ["id"] = 9_000_000_000L + seq, ["name"] = $"#B{seq}", ["order_number"] = seq, ["email"] = $"b{seq}@example.com", ["phone"] = null,
        ["total_price"] = "100.00", ["currency"] = "COP", ["financial_status"] = "paid",
        ["customer"] = new JsonObject { ["id"] = seq, ["first_name"] = "Cliente", ["last_name"] = seq.ToString(CultureInfo.InvariantCulture), ["phone"] = $"+5730{seq % 100000000:D8}" },
        ["line_items"] = new JsonArray(new JsonObject { ["id"] = seq, ["sku"] = "SKU-1", ["title"] = "Producto", ["quantity"] = 1, ["price"] = "100.00" }),
        ["tags"] = "bench", ["created_at"] = DateTimeOffset.UtcNow.ToString("o"), ["updated_at"] = DateTimeOffset.UtcNow.ToString("o"),
    }.ToJsonString();

    static int SeqOf(string body)
    {
        var at = body.IndexOf("#B", StringComparison.Ordinal) + 2;
        var end = at;
        while (end < body.Length && char.IsAsciiDigit(body[end])) end++;
        return int.Parse(body[at..end], CultureInfo.InvariantCulture);
    }
}

static class Memory
{
    /// <summary>Peak resident memory (VmHWM) of each process the runner started, from /proc.</summary>
    public static Dictionary<string, long> PeakPerProcess(string state)
    {
        var result = new Dictionary<string, long>();
        var pids = Path.Combine(state, "pids");
        if (!Directory.Exists(pids)) return result;
        foreach (var file in Directory.GetFiles(pids, "*.pid"))
        {
            var status = $"/proc/{File.ReadAllText(file).Trim()}/status";
            if (!File.Exists(status)) continue;
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null) result[Path.GetFileNameWithoutExtension(file)] = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return result;
    }
}

static class Plot
{
    /// <summary>latency.png: end-to-end latency of every order over time, one series per rate (gnuplot, from Debian).</summary>
    public static void Write(string dir, List<int> rates)
    {
        var series = string.Join(", ", rates.Select(r => $"'latency-{r}.dat' using 1:3 with points pt 7 ps 0.3 title 'end-to-end, {r}/s', '' using 1:2 with points pt 7 ps 0.2 title 'webhook, {r}/s'"));
        File.WriteAllText(Path.Combine(dir, "latency.gp"), $"""
            set terminal png size 1200,700
            set output 'latency.png'
            set title 'MorfX: Shopify order -> SMS at Twilio, latency over time'
            set xlabel 'seconds since the first order'
            set ylabel 'latency (ms)'
            set logscale y
            set grid
            set key outside right
            plot {series}
            """);
        try
        {
            using var gnuplot = Process.Start(new ProcessStartInfo("gnuplot", "latency.gp") { WorkingDirectory = dir, RedirectStandardError = true })!;
            gnuplot.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { Console.WriteLine("gnuplot not found: latency.gp and the .dat files are written; install gnuplot-nox to draw latency.png"); }
    }
}
