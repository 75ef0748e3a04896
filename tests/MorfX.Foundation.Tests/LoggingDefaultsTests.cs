using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MorfX.ServiceDefaults;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

public class LoggingDefaultsTests
{
    [Test]
    public async Task Polly_logs_its_retries_but_not_every_successful_attempt()
    {
        var builder = WebApplication.CreateBuilder(ServiceHost.Options([], typeof(LoggingDefaultsTests).Assembly));
        builder.AddServiceDefaults("logging-probe");
        await using var app = builder.Build();
        var factory = app.Services.GetRequiredService<ILoggerFactory>();

        var polly = factory.CreateLogger("Polly");
        Assert.That(polly.IsEnabled(LogLevel.Information), Is.False, "a line per successful HTTP attempt");
        Assert.That(polly.IsEnabled(LogLevel.Warning), Is.True, "retries and open circuits");
        Assert.That(factory.CreateLogger("MorfX.SmsSender").IsEnabled(LogLevel.Information), Is.True);
    }
}
