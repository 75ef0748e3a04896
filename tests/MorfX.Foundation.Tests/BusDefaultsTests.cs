using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MorfX.Messaging;
using MorfX.ServiceDefaults;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

public class BusDefaultsTests
{
    [Test]
    public async Task The_bus_reports_no_usage_telemetry_to_MassTransit()
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options([], typeof(BusDefaultsTests).Assembly));
        builder.Configuration[$"ConnectionStrings:{ResourceNames.Messaging}"] = "amqp://guest:guest@127.0.0.1:1/";
        builder.AddServiceBus("telemetry-probe");
        await using var app = builder.Build();

        Assert.That(app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled, Is.False,
            "MassTransit's default sends the bus's host, endpoints and configuration to its vendor");
    }
}
