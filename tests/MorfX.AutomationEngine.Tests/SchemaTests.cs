using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AutomationEngine.Tests;

public class SchemaTests : EngineFixture
{
    [Test]
    public async Task Ef_model_matches_the_migrated_engine_schema()
    {
        var differences = await QueryAsync(SchemaComparer.DifferencesAsync);

        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}

public class OpenApiTests : EngineFixture
{
    [Test]
    public async Task The_openapi_document_describes_the_automation_endpoints()
    {
        using var client = Engine.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.That(document, Does.Contain("/api/automations/catalog").And.Contain("/api/automations/preview")
            .And.Contain("/api/automations/{id}/runs/{runId}").And.Contain("/api/automations/builder"));
    }
}
