using NUnit.Framework;

namespace MorfX.Testing;

/// <summary>
/// Derive each test project's [SetUpFixture] <c>TestRun</c> from this: the real servers are ready first, then the project's
/// fixture starts (<see cref="StartFixtureAsync"/>) once for the whole assembly; afterwards the fixture stops and this
/// run's databases and vhost are removed.
/// </summary>
public abstract class TestRunSetUp
{
    [OneTimeSetUp]
    public async Task StartServers()
    {
        await TestInfrastructure.EnsureReadyAsync();
        await StartFixtureAsync();
    }

    [OneTimeTearDown]
    public async Task RemoveRunData()
    {
        try { await StopFixtureAsync(); }
        finally { await TestInfrastructure.CleanUpAsync(); }
    }

    /// <summary>Starts the project's <c>XxxFixture</c> (its services, bus observer); none by default.</summary>
    protected virtual Task StartFixtureAsync() => Task.CompletedTask;

    protected virtual Task StopFixtureAsync() => Task.CompletedTask;
}
