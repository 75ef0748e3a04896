using Microsoft.Extensions.DependencyInjection;
using MorfX.ConfigApi.Data;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.ConfigApi.Tests;

public class SchemaTests
{
    ConfigApiHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ConfigApiHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task Ef_model_matches_the_migrated_config_schema()
    {
        using var scope = _host.Api.Services.CreateScope();
        var differences = await SchemaComparer.DifferencesAsync(scope.ServiceProvider.GetRequiredService<ConfigDbContext>());

        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}
