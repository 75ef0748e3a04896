using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>One running system for every end-to-end fixture; each test works in its own workspace.</summary>
[SetUpFixture]
public sealed class SystemSetUp
{
    public static MorfXSystem System { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task Start() => System = await MorfXSystem.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await System.DisposeAsync();
}
