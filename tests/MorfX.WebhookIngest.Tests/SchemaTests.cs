using Microsoft.Extensions.DependencyInjection;
using MorfX.Testing;
using MorfX.WebhookIngest.Data;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.IngestEnvironment;

namespace MorfX.WebhookIngest.Tests;

public class SchemaTests
{
    [Test]
    public async Task Ef_model_matches_the_migrated_ingest_schema()
    {
        using var scope = Ingest.Services.CreateScope();
        var differences = await SchemaComparer.DifferencesAsync(scope.ServiceProvider.GetRequiredService<IngestDbContext>());

        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}
