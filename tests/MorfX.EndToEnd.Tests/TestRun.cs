using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>The system (<see cref="SystemFixture"/>), started once per run as the AppHost starts it; each test works in its own workspace.</summary>
[SetUpFixture]
public sealed class TestRun
{
    public static SystemFixture System { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task Start() => System = await SystemFixture.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await System.DisposeAsync();
}
