using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MorfX.Contracts;
using MorfX.Messaging.Outbox;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using MorfX.WebhookIngest.Data;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>
/// The ops view shows the business, not the pollers: an outbox pass that finds nothing is no trace (its query used to be a
/// trace of its own, every second, in every service), and a pass that publishes is one trace, rooted at the pass, with the
/// publish inside.
/// </summary>
public class BackgroundTraceTests
{
    [Test]
    public async Task An_idle_outbox_pass_is_no_trace_and_a_pass_that_publishes_is_one()
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.IngestDb);
        settings["Retention:Enabled"] = "false";
        await using var ingest = await RunningService.StartAsync(MorfX.WebhookIngest.Program.Build, settings);
        Assert.That(await ingest.WaitHealthyAsync(), Is.EqualTo("Healthy"));
        var dispatcher = ingest.Services.GetRequiredService<OutboxDispatcher<IngestDbContext>>();
        await dispatcher.StopAsync(CancellationToken.None); // the test runs the passes itself
        using var exported = new ExportedSpans(tracesPerSecond: 1000); // the service's own calls out leave budget for the pass

        await dispatcher.PassAsync(CancellationToken.None);

        // Only the database's and the passes' spans: the service also calls out on its own (a warm-up's HTTP look-ups).
        Assert.That(ExportedSpans.Describe(exported.Take().Where(OfDatabaseOrPass)), Is.Empty, "an idle pass exports nothing");

        await WriteMissedMessageAsync(ingest.Services);
        exported.Take();
        await dispatcher.PassAsync(CancellationToken.None);

        var spans = exported.Take();
        TestContext.Out.WriteLine(string.Join("\n", ExportedSpans.Describe(spans)));
        var pass = spans.Where(s => s.Source.Name == BackgroundPass.SourceName).ToList();
        Assert.That(pass.Select(p => (p.DisplayName, Root: p.ParentSpanId == default)), Is.EqualTo(new[] { ("outbox dispatch", true) }),
            "the pass is a trace of its own");
        Assert.Multiple(() =>
        {
            Assert.That(spans.Where(s => s.Kind == ActivityKind.Producer).Select(s => s.TraceId), Is.Not.Empty.And.All.EqualTo(pass[0].TraceId),
                "the publish is in the pass's trace");
            Assert.That(ExportedSpans.Describe(spans.Where(s => OfDatabaseOrPass(s) && s.TraceId != pass[0].TraceId)), Is.Empty,
                "no query is a trace of its own");
            Assert.That(pass[0].GetTagItem("morfx.items"), Is.EqualTo(1));
        });
    }

    static bool OfDatabaseOrPass(Activity span) => span.Source.Name is "Npgsql" or BackgroundPass.SourceName;

    /// <summary>A row the publish right after its commit missed (older than the grace): the next pass publishes it.</summary>
    static async Task WriteMissedMessageAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        var message = new ShopifyWebhookDelivered(Guid.NewGuid(), "tienda.myshopify.com", "orders/create", DateTimeOffset.UtcNow);
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = Guid.NewGuid(), MessageType = nameof(ShopifyWebhookDelivered), Body = JsonSerializer.Serialize(message),
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        });
        await db.SaveChangesAsync();
    }
}
