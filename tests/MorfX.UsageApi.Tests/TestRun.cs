using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.UsageApi.Tests;

/// <summary>Real servers first (base class), then usage-api, once for every test.</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp
{
    protected override Task StartFixtureAsync() => UsageApiFixture.StartAsync();

    protected override Task StopFixtureAsync() => UsageApiFixture.StopAsync();
}
