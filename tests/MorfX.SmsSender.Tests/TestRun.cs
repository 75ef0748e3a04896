using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.SmsSender.Tests;

/// <summary>Real servers first (base class), then the Twilio emulator, config-api, two sms-senders and the bus observer.</summary>
[SetUpFixture]
public sealed class TestRun : TestRunSetUp
{
    protected override Task StartFixtureAsync() => SmsSenderFixture.StartAsync();

    protected override Task StopFixtureAsync() => SmsSenderFixture.StopAsync();
}
