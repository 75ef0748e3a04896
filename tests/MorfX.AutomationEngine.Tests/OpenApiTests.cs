using MorfX.AutomationEngine.Apis;
using MorfX.Testing;
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

    [Test]
    public async Task Every_operation_documents_its_success_and_the_problem_codes_it_can_answer()
    {
        var document = await OpenApiContract.ReadAsync(Engine, "automation-engine");

        OpenApiContract.AssertComplete(document, typeof(EngineProblems));
        Assert.That(OpenApiContract.Codes(document, "CreateAutomation", 400),
            Does.Contain("too_many_actions").And.Contain("twilio_not_configured").And.Contain("body_too_long").And.Contain("validation_failed"));
        Assert.That(OpenApiContract.Codes(document, "BuildAutomation", 429), Is.EqualTo(new[] { "builder_rate_limited" }));
        Assert.That(OpenApiContract.Operations(document)["CreateAutomation"]["requestBody"]?["content"]?["application/json"]?["example"]?["name"]
            ?.GetValue<string>(), Is.EqualTo("Confirmación de pedido"));
    }
}
