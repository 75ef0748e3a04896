using MorfX.Testing;
using MorfX.WebhookIngest.Apis;
using NUnit.Framework;
using static MorfX.WebhookIngest.Tests.WebhookIngestFixture;

namespace MorfX.WebhookIngest.Tests;

public class OpenApiTests
{
    [Test]
    public async Task Every_operation_documents_its_success_and_the_problem_codes_it_can_answer()
    {
        var document = await OpenApiContract.ReadAsync(Ingest, "webhook-ingest");

        OpenApiContract.AssertComplete(document, typeof(IngestProblems));
        Assert.That(OpenApiContract.Codes(document, "ReceiveShopifyWebhook", 401), Is.EqualTo(new[] { "invalid_signature" }));
        Assert.That(OpenApiContract.Codes(document, "ReceiveTwilioInbound", 403), Is.EqualTo(new[] { "invalid_signature" }));
    }
}
