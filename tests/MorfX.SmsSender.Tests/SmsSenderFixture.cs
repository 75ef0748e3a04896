using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApi;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.SmsSender.Data;
using MorfX.Testing;
using MorfX.TwilioEmulator;
using NUnit.Framework;

namespace MorfX.SmsSender.Tests;

/// <summary>
/// What the sms-sender tests talk to, started once per run by <see cref="TestRun"/>: the Twilio emulator (callbacks off, so tests drive statuses themselves,
/// and no automatic price, so tests decide when Twilio "sets" it), the real config-api that stores the credentials,
/// two sms-sender instances pointed at both (competing consumers on the same queues and database, as when scaled out), and
/// an observer bus on the real broker. Tests say <c>using static SmsSenderFixture;</c>.
/// </summary>
public static class SmsSenderFixture
{
    public static RunningService EmulatorHost { get; private set; } = null!;
    public static RunningService ConfigApiHost { get; private set; } = null!;
    public static RunningService SmsSenderHost { get; private set; } = null!;
    public static RunningService SecondSmsSenderHost { get; private set; } = null!;
    public static BusObserver Events { get; private set; } = null!;
    public static TwilioEmulatorClient Emulator { get; private set; } = null!;

    public static async Task StartAsync()
    {
        EmulatorHost = await RunningService.StartAsync(TwilioEmulatorApp.Build, new Dictionary<string, string?>
        {
            ["Emulator:CallbacksEnabled"] = "false",
            ["Emulator:CallbackDelayMs"] = "50",
            ["Emulator:PriceDelayMs"] = "-1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Emulator = new TwilioEmulatorClient(EmulatorHost.CreateClient());

        ConfigApiHost = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, ConfigApiSettings);

        var settings = TestInfrastructure.ServiceSettings(ResourceNames.SmsDb);
        settings["Services:ConfigApi"] = ConfigApiHost.BaseAddress.ToString();
        settings["Twilio:BaseUrl"] = EmulatorHost.BaseAddress.ToString();
        settings["Twilio:RetryBaseDelay"] = "00:00:00.100";
        settings["Sending:Lease"] = "00:00:02";
        // An ambiguous create is looked for at Twilio for 2 s before it counts as never created (production: 1 minute).
        settings["Sending:AmbiguousWindow"] = "00:00:02";
        settings["Sending:ResolvePoll"] = "00:00:00.250";
        settings["Pricing:PollInterval"] = "00:00:00.200";
        settings["Pricing:InitialBackoff"] = "00:00:00.300";
        settings["Pricing:MaxBackoff"] = "00:00:01";
        settings["Pricing:FirstCheckDelay"] = "00:00:00.200";
        settings["Pricing:MaxFirstCheckDelay"] = "00:00:01";
        settings["Deferral:FirstDelay"] = "00:00:01";
        settings["Deferral:PollInterval"] = "00:00:00.200";
        SmsSenderHost = await RunningService.StartAsync(MorfX.SmsSender.Program.Build, settings);
        SecondSmsSenderHost = await RunningService.StartAsync(MorfX.SmsSender.Program.Build, settings);

        Events = await ObservedEvents.StartAsync();
        Assert.That(await SmsSenderHost.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        Assert.That(await SecondSmsSenderHost.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        Assert.That(await ConfigApiHost.WaitHealthyAsync(), Is.EqualTo("Healthy"));
    }

    public static async Task StopAsync()
    {
        if (Events is not null) await Events.DisposeAsync();
        if (SecondSmsSenderHost is not null) await SecondSmsSenderHost.DisposeAsync();
        if (SmsSenderHost is not null) await SmsSenderHost.DisposeAsync();
        if (ConfigApiHost is not null) await ConfigApiHost.DisposeAsync();
        if (EmulatorHost is not null) await EmulatorHost.DisposeAsync();
    }

    static readonly Dictionary<string, string?> ConfigApiSettings = TestInfrastructure.ServiceSettings(ResourceNames.ConfigDb);

    /// <summary>Stops config-api: sms-sender's look-ups are refused until <see cref="StartConfigApiAsync"/>.</summary>
    public static async Task StopConfigApiAsync() => await ConfigApiHost.DisposeAsync();

    /// <summary>Starts config-api again on the port sms-sender knows it by.</summary>
    public static async Task StartConfigApiAsync()
    {
        var address = ConfigApiHost.BaseAddress.ToString();
        ConfigApiHost = await RunningService.StartAsync(MorfX.ConfigApi.Program.Build, ConfigApiSettings, b => b.WebHost.UseUrls(address));
        Assert.That(await ConfigApiHost.WaitHealthyAsync(), Is.EqualTo("Healthy"));
    }

    /// <summary>A fresh workspace whose Twilio account exists at the emulator; config-api stores <paramref name="storedToken"/> (the right one by default).</summary>
    public static async Task<TestWorkspace> WorkspaceAsync(string? storedToken = null)
    {
        var workspace = new TestWorkspace(Guid.NewGuid(), "AC" + Guid.NewGuid().ToString("N"), "tok" + Guid.NewGuid().ToString("N"), Phone());
        await Emulator.RegisterAccountAsync(workspace.AccountSid, workspace.AuthToken);
        using var client = ConfigApiHost.CreateClient(Tokens.For(workspace.Id, Roles.Owner));
        using var saved = await client.PutAsJsonAsync("/api/integrations/twilio",
            new { accountSid = workspace.AccountSid, authToken = storedToken ?? workspace.AuthToken, phoneNumber = workspace.From });
        Assert.That(saved.IsSuccessStatusCode, Is.True, await saved.Content.ReadAsStringAsync());
        return workspace;
    }

    /// <summary>Stops the automation as the engine announces it, and waits until sms-sender has recorded the stop.</summary>
    public static async Task StopAutomationAsync(Guid workspaceId, Guid automationId, DateTimeOffset stoppedAt)
    {
        await Events.Bus.Publish(new AutomationStopped(workspaceId, automationId, stoppedAt));
        await Eventually.Get(async () =>
        {
            using var scope = SmsSenderHost.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SmsDbContext>().AutomationStops.AnyAsync(s => s.AutomationId == automationId && s.StoppedAt >= stoppedAt);
        }, stopped => stopped, because: "the stop is recorded");
    }

    /// <summary>A random US number in E.164 (+1555…), so tests never share a recipient.</summary>
    public static string Phone() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999);

    public static SmsRequested Request(Guid workspaceId, string to, string body, params string[] mediaUrls) =>
        new(Guid.NewGuid(), workspaceId, to, body, mediaUrls,
            new SmsOrigin(SmsOrigin.Automation, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), DateTimeOffset.UtcNow);

    /// <summary>Sends <paramref name="count"/> messages of the workspace at once; their requests and sids, in the same order.</summary>
    public static async Task<(List<SmsRequested> Requests, List<string> Sids)> SentMessagesAsync(TestWorkspace workspace, int count)
    {
        var requests = Enumerable.Range(1, count).Select(i => Request(workspace.Id, Phone(), $"Pedido {i} en camino")).ToList();
        await Task.WhenAll(requests.Select(r => Events.Bus.Publish(r)));
        var sids = new List<string>();
        foreach (var request in requests)
            sids.Add((await RowWhenAsync(request.RequestId, r => r.MessageSid is not null, "the message is sent")).MessageSid!);
        return (requests, sids);
    }

    public static async Task<SmsMessage?> RowAsync(Guid requestId)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        return await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.RequestId == requestId);
    }

    public static async Task InsertRowAsync(SmsMessage row)
    {
        using var scope = SmsSenderHost.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        db.Messages.Add(row);
        await db.SaveChangesAsync();
    }

    /// <summary>Waits for the request's row to match, and returns it.</summary>
    public static async Task<SmsMessage> RowWhenAsync(Guid requestId, Func<SmsMessage, bool> done, string because) =>
        (await Eventually.Get(() => RowAsync(requestId), r => r is not null && done(r), TimeSpan.FromSeconds(30), because))!;

    /// <summary>
    /// Absence cannot be awaited: checks that a condition still holds over a short window (used to show that
    /// nothing more happens, e.g. no second message after a redelivery).
    /// </summary>
    public static async Task Consistently(Func<Task<bool>> holds, string because, TimeSpan? window = null)
    {
        var until = DateTime.UtcNow + (window ?? TimeSpan.FromSeconds(1.5));
        while (DateTime.UtcNow < until)
        {
            Assert.That(await holds(), Is.True, because);
            await Task.Delay(150);
        }
    }
}
