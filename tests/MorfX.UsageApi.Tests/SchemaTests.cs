using Microsoft.Extensions.DependencyInjection;
using MorfX.Testing;
using MorfX.UsageApi.Data;
using NUnit.Framework;

namespace MorfX.UsageApi.Tests;

public class SchemaTests : UsageApiFixture
{
    [Test]
    public async Task Ef_model_matches_the_migrated_schema()
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsageDbContext>();

        var differences = await SchemaComparer.DifferencesAsync(db);

        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}
