using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using NUnit.Framework;
using static MorfX.UsageApi.Tests.UsageApiFixture;

namespace MorfX.UsageApi.Tests;

/// <summary>
/// usage-api keeps recipients' numbers and texts, so a Shopify customers/data_request gets its part: the usage of that
/// customer's messages, reported to config-api beside the other services' reports, and nobody else's.
/// </summary>
public class CustomerDataRequestTests
{
    [Test]
    public async Task A_customer_data_request_is_answered_with_the_usage_of_that_customers_messages()
    {
        var ws = Guid.NewGuid();
        var (byRequest, byPhone, others) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await PublishAsync(
            Sent(ws, byRequest, Now().AddMinutes(-5), body: "Hola Ana, tu pedido #1001 va en camino", to: "+573001234567"),
            Sent(ws, byPhone, Now().AddMinutes(-4), body: "Ana, tu pedido #1002 fue entregado", to: "+573001234567"),
            Sent(ws, others, Now().AddMinutes(-3), body: "Hola Luis, tu pedido #1003 va en camino", to: "+573009999999"));
        var reports = new ReportObserver();
        using var observing = Service.Services.GetRequiredService<IBus>().ConnectPublishObserver(reports);
        var requestId = Guid.NewGuid();

        await PublishAsync(new CustomerSmsDataRequested(requestId, ws, [byRequest], ["+573001234567"]));

        Assert.That(reports.Published.TryGetValue(requestId, out var report), Is.True, "usage-api reported");
        Assert.That(report!.Service, Is.EqualTo("usage-api"));
        var usage = JsonDocument.Parse(report.DataJson).RootElement.GetProperty("usage").EnumerateArray()
            .Select(u => (To: u.GetProperty("to").GetString(), Body: u.GetProperty("body").GetString())).ToList();
        Assert.That(usage, Is.EquivalentTo(new[]
        {
            ("+573001234567", "Hola Ana, tu pedido #1001 va en camino"), ("+573001234567", "Ana, tu pedido #1002 fue entregado"),
        }), "Ana's messages, by request and by phone; not Luis's");
    }

    sealed class ReportObserver : IPublishObserver
    {
        public ConcurrentDictionary<Guid, CustomerDataReported> Published { get; } = new();

        public Task PrePublish<T>(PublishContext<T> context) where T : class
        {
            if (context.Message is CustomerDataReported report) Published[report.RequestId] = report;
            return Task.CompletedTask;
        }

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
