using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.WebhookIngest.Tests;

/// <summary>Real servers first (base class), then the Shopify emulator, config-api, webhook-ingest and the bus observer.</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp
{
    protected override Task StartFixtureAsync() => WebhookIngestFixture.StartAsync();

    protected override Task StopFixtureAsync() => WebhookIngestFixture.StopAsync();
}
