using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MorfX.Rules;

/// <summary>One order of the schedule: its number (carried into the SMS body), its workspace and when it is due.</summary>
sealed record Order(int Seq, BenchWorkspace Workspace, TimeSpan Due, bool Warmup);

/// <summary>What driving a schedule gave: per order, whether it was accepted and its webhook latency counted from when it was due.</summary>
sealed record DriveResult(Order[] Orders, bool[] Accepted, double[] WebhookMs, int Retries, DateTimeOffset Start, TimeSpan Finished)
{
    public DateTimeOffset DueAt(Order order) => Start + order.Due;
    public DateTimeOffset LastDue => Start + Orders[^1].Due;
}

/// <summary>
/// An open-loop schedule: order i is due at i / rate seconds, round-robin over the workspaces, and leaves when due whether
/// or not earlier ones were answered. Every latency is counted from when the order was due, so a late start (the
/// benchmark itself starved of CPU, a full connection pool) is counted against the system, not hidden.
/// </summary>
static class Driver
{
    public static async Task<DriveResult> RunAsync(
        HttpClient http, Options o, IReadOnlyList<BenchWorkspace> workspaces, int rate, int seconds, int firstSeq, bool warmup)
    {
        var total = rate * seconds;
        var orders = Enumerable.Range(0, total)
            .Select(i => new Order(firstSeq + i, workspaces[i % workspaces.Count], TimeSpan.FromSeconds((double)i / rate), warmup)).ToArray();
        var accepted = new bool[total];
        var webhookMs = new double[total];
        var retries = 0;
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        for (var next = 0; next < total;)
        {
            for (var now = clock.Elapsed; next < total && orders[next].Due <= now; next++)
            {
                var i = next;
                tasks[i] = Task.Run(async () =>
                {
                    (accepted[i], var tries) = await SendAsync(http, o, orders[i]);
                    webhookMs[i] = (clock.Elapsed - orders[i].Due).TotalMilliseconds;
                    if (tries > 0) Interlocked.Add(ref retries, tries);
                });
            }
            // Task.Delay counts whole milliseconds and returns at once under one: waiting at least 1 ms keeps the
            // generator from spinning on the clock (it took 7 % of a core from the measured system at 250/s). An order
            // sent up to a millisecond late still counts its latency from when it was due.
            if (next < total && orders[next].Due - clock.Elapsed is { Ticks: > 0 } wait)
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
        }
        await Task.WhenAll(tasks);
        return new DriveResult(orders, accepted, webhookMs, retries, start, clock.Elapsed);
    }

    /// <summary>Posts the signed orders/create webhook until it is answered 200 (Shopify retries too); returns the retries it took.</summary>
    public static async Task<(bool Accepted, int Retries)> SendAsync(HttpClient http, Options o, Order order)
    {
        var body = Encoding.UTF8.GetBytes(OrderJson(order.Seq));
        var webhookId = Guid.NewGuid().ToString();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{o.Ingest}/webhooks/shopify") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Hmac-Sha256", WebhookSignatures.ShopifyHmac(body, order.Workspace.Secret));
            request.Headers.Add("X-Shopify-Shop-Domain", order.Workspace.ShopDomain);
            request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
            request.Headers.Add("X-Shopify-API-Version", "2025-07");
            try
            {
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK) return (true, attempt);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200 * (attempt + 1));
        }
        return (false, 20);
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

    /// <summary>The order number in an SMS body ("… orden #B123 recibida").</summary>
    public static int SeqOf(string body)
    {
        var at = body.IndexOf("#B", StringComparison.Ordinal) + 2;
        var end = at;
        while (end < body.Length && char.IsAsciiDigit(body[end])) end++;
        return int.Parse(body[at..end], CultureInfo.InvariantCulture);
    }
}
