using NUnit.Framework;

// Fixtures that fault, flood, kill or scale the shared system, or count its error queues, are left unmarked: NUnit runs them
// one at a time, with nothing beside them. Those marked [Parallelizable] work in workspaces of their own and mostly wait
// (backoffs, Twilio's delays, reconciliation polls), so they run together.
[assembly: LevelOfParallelism(4)]

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
