using System.Diagnostics;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApi;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.SmsSender.Pricing;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;

// Its own namespace, outside MorfX.SmsSender.Tests: SmsSenderFixture's test-tuned senders must not price these messages.
namespace MorfX.SmsSender.Measurements;

/// <summary>
/// Does price reconciliation keep up at the system's full throughput? Two sms-senders with the PRODUCTION pricing schedule
/// send Rate messages/s for Duration (the README's benchmark sustains 40 orders/s), each reported delivered at once, and the
/// Twilio stand-in sets each price PriceDelay after the message was created. Every 5 s it prints how many are delivered,
/// priced and still waiting (the backlog), and the learnt first-check delay; at the end the time from delivered to priced
/// (p50/p95/max) and the checks per message. A measurement to read, not a pass/fail timing: run it on purpose with
/// `dotnet test tests/MorfX.SmsSender.Tests --filter FullyQualifiedName~PricingThroughputMeasurement`.
/// </summary>
[Explicit("A measurement of several minutes; run on purpose")]
public sealed class PricingThroughputMeasurement
{
    // MORFX_MEASURE_RATE / MORFX_MEASURE_SECONDS measure another rate (issue 17's target: 400 messages/s).
    static readonly int Rate = int.TryParse(Environment.GetEnvironmentVariable("MORFX_MEASURE_RATE"), out var rate) ? rate : 40;
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MORFX_MEASURE_SECONDS"), out var seconds) ? seconds : 90);
    static readonly TimeSpan PriceDelay = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Every_delivered_message_is_priced_within_minutes_at_full_throughput()
    {
        await using var emulator = await RunningService.StartAsync(TwilioEmulatorApp.Build, new Dictionary<string, string?>
        {
            ["Emulator:CallbacksEnabled"] = "false",
            ["Emulator:CallbackDelayMs"] = "50",
            ["Emulator:PriceDelayMs"] = ((int)PriceDelay.TotalMilliseconds - 100).ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await using var configApi = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb));
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.SmsDb);
        settings["Services:ConfigApi"] = configApi.BaseAddress.ToString();
        settings["Twilio:BaseUrl"] = emulator.BaseAddress.ToString();
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:MorfX"] = "Warning";
        await using var sender = await RunningService.StartAsync(MorfX.SmsSender.Program.Build, settings);
        await using var secondSender = await RunningService.StartAsync(MorfX.SmsSender.Program.Build, settings);
        await using var bus = await BusObserver.StartAsync("pricing-measurement", (_, _) => { });
        Assert.That(await sender.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        Assert.That(await secondSender.WaitHealthyAsync(), Is.EqualTo("Healthy"));

        var workspace = Guid.NewGuid();
        var (account, token) = ("AC" + Guid.NewGuid().ToString("N"), "tok" + Guid.NewGuid().ToString("N"));
        using (var http = emulator.CreateClient())
            (await http.PostAsJsonAsync("/_emulator/accounts", new { accountSid = account, authToken = token })).EnsureSuccessStatusCode();
        using (var client = configApi.CreateClient(Tokens.For(workspace, Roles.Owner)))
            (await client.PutAsJsonAsync("/api/integrations/twilio", new { accountSid = account, authToken = token, phoneNumber = "+15005550006" })).EnsureSuccessStatusCode();

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var reporter = ReportDeliveredAsync(sender, bus.Bus, workspace, account, stop.Token);
        var sampler = SampleAsync(sender, workspace, clock, stop.Token);
        var total = (int)(Rate * Duration.TotalSeconds);
        // Open loop: each request is published when due, up to 64 confirms awaited at once, so the publisher is not the limit.
        using var inFlight = new SemaphoreSlim(64);
        var publishes = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            await inFlight.WaitAsync();
            var request = new SmsRequested(Guid.NewGuid(), workspace, "+1555" + (1_000_000 + i), $"Pedido {i} en camino", [],
                new SmsOrigin(SmsOrigin.Automation, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), DateTimeOffset.UtcNow);
            publishes.Add(bus.Bus.Publish(request).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
            var due = TimeSpan.FromSeconds((i + 1) / (double)Rate) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }
        await Task.WhenAll(publishes);
        var published = clock.Elapsed;
        TestContext.Out.WriteLine($"{total} requests published in {published.TotalSeconds:0.0} s");

        while (await CountAsync(sender, workspace, m => m.MessageSid != null) < total && clock.Elapsed < published + TimeSpan.FromMinutes(2))
            await Task.Delay(200);
        TestContext.Out.WriteLine($"all sent {clock.Elapsed.TotalSeconds:0.0} s after the first request: {total / clock.Elapsed.TotalSeconds:0} messages/s end to end");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (DateTime.UtcNow < deadline && await CountAsync(sender, workspace, m => m.Price != null) < total) await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(reporter, sampler);

        var rows = await QueryAsync(sender, db => db.Messages.AsNoTracking().Where(m => m.WorkspaceId == workspace).ToListAsync());
        var pricedAfter = rows.Where(m => m.PricedAt != null && m.FinalAt != null).Select(m => (m.PricedAt!.Value - m.FinalAt!.Value).TotalSeconds).Order().ToList();
        double At(double q) => pricedAfter.Count == 0 ? double.NaN : pricedAfter[(int)Math.Min(pricedAfter.Count - 1, q * pricedAfter.Count)];
        TestContext.Out.WriteLine($"sent {rows.Count(m => m.MessageSid != null)}/{total}, priced {pricedAfter.Count}; " +
            $"delivered -> priced p50 {At(0.5):0.0} s, p95 {At(0.95):0.0} s, max {pricedAfter.LastOrDefault():0.0} s (Twilio prices {PriceDelay.TotalSeconds:0} s after creation); " +
            $"price checks per message {rows.Average(m => m.PriceChecks):0.00}; learnt first-check delay {sender.Services.GetRequiredService<PricingDelay>().FirstCheckAfter.TotalSeconds:0.0} s");
        Assert.That(pricedAfter, Has.Count.EqualTo(total), "every delivered message got its price");
    }

    /// <summary>What webhook-ingest would publish for each message's "delivered" callback (callbacks are off at the stand-in).</summary>
    static async Task ReportDeliveredAsync(RunningService sender, IBus bus, Guid workspace, string account, CancellationToken ct)
    {
        var reported = new HashSet<string>();
        while (!ct.IsCancellationRequested)
        {
            var sids = await QueryAsync(sender, db => db.Messages.Where(m => m.WorkspaceId == workspace && m.MessageSid != null && m.FinalAt == null)
                .Select(m => m.MessageSid!).ToListAsync());
            foreach (var sid in sids.Where(reported.Add))
                await bus.Publish(new TwilioStatusReported(workspace, sid, "delivered", null, account, DateTimeOffset.UtcNow), CancellationToken.None);
            try { await Task.Delay(500, ct); } catch (OperationCanceledException) { }
        }
    }

    static async Task SampleAsync(RunningService sender, Guid workspace, Stopwatch clock, CancellationToken ct)
    {
        var delay = sender.Services.GetRequiredService<PricingDelay>();
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(5000, ct); } catch (OperationCanceledException) { }
            var delivered = await CountAsync(sender, workspace, m => m.FinalAt != null);
            var priced = await CountAsync(sender, workspace, m => m.Price != null);
            TestContext.Out.WriteLine($"t={clock.Elapsed.TotalSeconds,4:0} s  delivered {delivered,5}  priced {priced,5}  backlog {delivered - priced,5}  " +
                $"first check after {delay.FirstCheckAfter.TotalSeconds:0.0} s");
        }
    }

    static Task<int> CountAsync(RunningService sender, Guid workspace, System.Linq.Expressions.Expression<Func<SmsMessage, bool>> filter) =>
        QueryAsync(sender, db => db.Messages.Where(m => m.WorkspaceId == workspace).CountAsync(filter));

    static async Task<T> QueryAsync<T>(RunningService sender, Func<SmsDbContext, Task<T>> query)
    {
        using var scope = sender.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<SmsDbContext>());
    }
}
