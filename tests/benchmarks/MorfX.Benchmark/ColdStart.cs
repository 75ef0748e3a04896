using System.Diagnostics;
using System.Text.Json;

/// <summary>
/// The first order after a start (`morfx bench --cold` stops the system, starts it, waits until all is healthy, then runs
/// this): a workspace is set up through the public APIs (timed on its own), then one order is sent and timed until its SMS
/// reaches Twilio. The issue's target: within 2 s.
/// </summary>
static class ColdStart
{
    public static async Task<int> RunAsync(HttpClient http, Options o, EmulatorClient twilio, JsonSerializerOptions json)
    {
        var database = await DatabaseSettings.ReadAsync(o.PostgresPort);
        var setup = Stopwatch.StartNew();
        var workspace = await BenchWorkspace.SetUpAsync(http, o);
        var setupMs = setup.Elapsed.TotalMilliseconds;

        var order = new Order(0, workspace, TimeSpan.Zero, Warmup: false);
        var sentAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var (accepted, retries) = await Driver.SendAsync(http, o, order);
        var webhookMs = clock.Elapsed.TotalMilliseconds;
        while (accepted && clock.Elapsed < TimeSpan.FromSeconds(60) && await twilio.CountAsync([workspace.AccountSid]) == 0) await Task.Delay(10);
        var messages = await twilio.MessagesAsync([workspace.AccountSid]);
        double? firstOrderMs = messages.Count == 0 ? null : Math.Round((messages.Min(m => m.CreatedAt) - sentAt).TotalMilliseconds, 1);

        var report = new
        {
            database, healthyAfterStartSeconds = double.IsNaN(o.UpSeconds) ? (double?)null : Math.Round(o.UpSeconds, 1), workspaceSetupMs = Math.Round(setupMs, 1),
            firstOrder = new { accepted, retries, webhookMs = Math.Round(webhookMs, 1), reachedTwilioMs = firstOrderMs, targetMs = 2000 },
        };
        Directory.CreateDirectory(o.Out);
        await File.WriteAllTextAsync(Path.Combine(o.Out, "coldstart.json"), JsonSerializer.Serialize(report, json));
        Console.WriteLine(database.Summary());
        if (!double.IsNaN(o.UpSeconds)) Console.WriteLine($"cold start: every resource healthy {o.UpSeconds:F1} s after the AppHost started");
        Console.WriteLine($"cold start: workspace set up in {setupMs:F0} ms; first order answered in {webhookMs:F0} ms ({retries} retries), "
            + (firstOrderMs is { } ms ? $"its SMS reached Twilio {ms:F0} ms after it was sent (target 2,000 ms)" : "its SMS did NOT reach Twilio within 60 s"));
        Console.WriteLine($"wrote {Path.Combine(o.Out, "coldstart.json")}");
        return firstOrderMs is null ? 1 : 0;
    }
}
