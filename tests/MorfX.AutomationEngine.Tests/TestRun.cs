using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AutomationEngine.Tests;

/// <summary>Real servers first (base class), then the engine and its bus observer, once for every test.</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp
{
    protected override Task StartFixtureAsync() => EngineFixture.StartAsync();

    protected override Task StopFixtureAsync() => EngineFixture.StopAsync();
}
