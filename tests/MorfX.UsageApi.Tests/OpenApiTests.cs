using MorfX.Testing;
using MorfX.UsageApi.Apis;
using NUnit.Framework;
using static MorfX.UsageApi.Tests.UsageApiFixture;

namespace MorfX.UsageApi.Tests;

public class OpenApiTests
{
    [Test]
    public async Task Every_operation_documents_its_success_and_the_problem_codes_it_can_answer()
    {
        var document = await OpenApiContract.ReadAsync(Service, "usage-api");

        OpenApiContract.AssertComplete(document, typeof(UsageProblems));
        Assert.That(OpenApiContract.Codes(document, "GetSmsUsageChart", 400), Is.EquivalentTo(new[] { "invalid_period", "invalid_timezone" }));
    }
}
