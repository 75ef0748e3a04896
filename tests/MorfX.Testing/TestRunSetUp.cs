using NUnit.Framework;

namespace MorfX.Testing;

/// <summary>Derive a [SetUpFixture] from this in each test project: servers ready before, this run's databases and vhost removed after.</summary>
public abstract class TestRunSetUp
{
    [OneTimeSetUp]
    public Task StartServers() => TestInfrastructure.EnsureReadyAsync();

    [OneTimeTearDown]
    public Task RemoveRunData() => TestInfrastructure.CleanUpAsync();
}
