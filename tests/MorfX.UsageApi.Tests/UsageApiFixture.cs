using System.Net.Http.Json;
using System.Security.Claims;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using MorfX.UsageApi.Apis;
using NUnit.Framework;

namespace MorfX.UsageApi.Tests;

/// <summary>
/// What the usage-api tests talk to, started once per run by <see cref="TestRun"/>: one usage-api on a real port with real
/// PostgreSQL and RabbitMQ; each test uses its own workspace. Events go through the broker exactly as sms-sender publishes
/// them, and <see cref="ConsumedMessages"/> says when the service has consumed them. Tests say <c>using static UsageApiFixture;</c>.
/// </summary>
public static class UsageApiFixture
{
    public static RunningService Service { get; private set; } = null!;
    static ConsumedMessages _consumed = null!;

    /// <summary>Publishes what sms-sender would: usage-api's own broker user may only consume these messages, as in production.</summary>
    static IBusControl _publisher = null!;

    public static async Task StartAsync()
    {
        Service = await RunningService.StartAsync(MorfX.UsageApi.Program.Build, TestInfrastructure.ServiceSettings(ResourceNames.UsageDb));
        Assert.That(await Service.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        _consumed = new ConsumedMessages();
        Service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(_consumed);
        _publisher = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestInfrastructure.AmqpUri)));
        await _publisher.StartAsync();
    }

    public static async Task StopAsync()
    {
        if (_publisher is not null) await _publisher.StopAsync();
        if (Service is not null) await Service.DisposeAsync();
    }

    /// <summary>Publishes the events together and waits until the service has consumed every one.</summary>
    public static async Task PublishAsync(params object[] events) => await _consumed.WaitForAsync(await PublishWithoutWaitingAsync(events));

    /// <summary>Publishes the events together, without waiting for the service; their message ids.</summary>
    public static async Task<List<Guid>> PublishWithoutWaitingAsync(params object[] events)
    {
        var ids = new List<Guid>();
        foreach (var e in events)
        {
            var id = NewId.NextGuid();
            ids.Add(id);
            await _publisher.Publish(AsPublished(e), c => c.MessageId = id);
        }
        return ids;
    }

    /// <summary>As sms-sender publishes them: a send, a status change or a price travels in an <see cref="SmsActivity"/>.</summary>
    static object AsPublished(object e) => e switch
    {
        SmsSent sent => SmsActivity.Of(sent),
        SmsStatusChanged change => SmsActivity.Of(change),
        SmsPriced price => new SmsActivity([], [], [price]),
        _ => e,
    };

    /// <summary>Publishes the events one after another, each consumed before the next: a chosen delivery order.</summary>
    public static async Task PublishInOrderAsync(params object[] events)
    {
        foreach (var e in events) await PublishAsync(e);
    }

    public static HttpClient Client(Guid workspaceId, string role = Roles.Owner) => Service.CreateClient(Tokens.For(workspaceId, role));

    /// <summary>A token like the CRM's, plus the workspace's time zone claim.</summary>
    public static HttpClient ClientWithTimeZoneClaim(Guid workspaceId, string timeZone) =>
        Service.CreateClient(Tokens.For(workspaceId, Roles.Agent, "user-tz", extraClaims: new Claim(SmsUsageApi.TimeZoneClaim, timeZone)));

    public static async Task<SmsUsageSummary> SummaryAsync(HttpClient client, string period = "week") =>
        (await client.GetFromJsonAsync<SmsUsageSummary>($"/api/usage/sms?period={period}"))!;

    public static async Task<List<SmsUsageChartPoint>> ChartAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<List<SmsUsageChartPoint>>($"/api/usage/sms/chart{query}"))!;

    public static async Task<List<SmsUsageByAutomation>> ByAutomationAsync(HttpClient client, string period = "week") =>
        (await client.GetFromJsonAsync<List<SmsUsageByAutomation>>($"/api/usage/sms/by-automation?period={period}"))!;

    /// <summary>Now, to the second, so times survive PostgreSQL's microsecond precision unchanged.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    public static SmsSent Sent(Guid workspaceId, Guid requestId, DateTimeOffset at, string status = "queued",
        int segments = 1, Guid? automationId = null, string body = "Hola, tu pedido #1001 va en camino", string to = "+573001234567") =>
        new(requestId, workspaceId, "SM" + requestId.ToString("N"), to, "+15005550006", body, segments, "GSM-7", 0, status, automationId, at);

    public static SmsPriced Priced(Guid workspaceId, Guid requestId, decimal cost, DateTimeOffset at) =>
        new(requestId, workspaceId, "SM" + requestId.ToString("N"), cost, "USD", at);

    public static SmsStatusChanged Status(Guid workspaceId, Guid requestId, string status, DateTimeOffset at) =>
        new(requestId, workspaceId, "SM" + requestId.ToString("N"), status, status is "failed" or "undelivered" ? 30003 : null, at);

    public static SmsFailed Failed(Guid workspaceId, Guid requestId, DateTimeOffset at, Guid? automationId = null) =>
        new(requestId, workspaceId, null, "+573001234567", "Hola", 21211, "Invalid 'To' Phone Number", automationId, at);
}
