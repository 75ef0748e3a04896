using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

/// <summary>Real servers first (base class), then config-api, the Shopify Admin emulator and the bus observer.</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp
{
    protected override Task StartFixtureAsync() => ConfigApiFixture.StartAsync();

    protected override Task StopFixtureAsync() => ConfigApiFixture.StopAsync();
}
