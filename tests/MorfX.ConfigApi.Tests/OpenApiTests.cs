using MorfX.ConfigApi.Apis;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.ConfigApi.Tests.ConfigApiFixture;

namespace MorfX.ConfigApi.Tests;

public class OpenApiTests
{
    [Test]
    public async Task Every_operation_documents_its_success_and_the_problem_codes_it_can_answer()
    {
        var document = await OpenApiContract.ReadAsync(Api, "config-api");

        OpenApiContract.AssertComplete(document, typeof(ConfigProblems));
        Assert.That(OpenApiContract.Codes(document, "SaveShopifyIntegration", 422), Does.Contain("shop_ownership_not_confirmed"));
        Assert.That(OpenApiContract.Codes(document, "SaveTwilioIntegration", 400), Does.Contain("validation_failed").And.Contain("invalid_body"));
        Assert.That(OpenApiContract.Codes(document, "DeleteTwilioIntegration", 404), Is.EqualTo(new[] { "twilio_not_configured" }));
        Assert.That(OpenApiContract.Codes(document, "TestTwilioIntegration", 429), Is.EqualTo(new[] { "rate_limited" }));
        Assert.That(OpenApiContract.Codes(document, "GetTwilioIntegration", 401), Is.EqualTo(new[] { "unauthorized" }));
        Assert.That(OpenApiContract.Operations(document)["SaveTwilioIntegration"]["requestBody"]?["content"]?["application/json"]?["example"]?["phoneNumber"]
            ?.GetValue<string>(), Is.EqualTo("+15005550006"));
    }
}
