using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.WebhookIngest.Tests;

/// <summary>Real servers first (base class), then one shared environment: Shopify emulator, config-api, webhook-ingest, an observer bus.</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp
{
    [OneTimeSetUp]
    public async Task StartEnvironment() => await IngestEnvironment.StartAsync();

    [OneTimeTearDown]
    public async Task StopEnvironment() => await IngestEnvironment.StopAsync();
}
