using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

public class OpenApiTests
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
