using System.Text.Json.Nodes;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// Shopify's own published payloads and the variants real stores send (tests/fixtures/shopify), each signed and
/// delivered to webhook-ingest, through the engine and sms-sender to the Twilio emulator, in a workspace of the
/// fixture's country. What is asserted is what the merchant reads in the SMS.
/// </summary>
public class ShopifyCorpusTests
{
    static SystemFixture System => TestRun.System;

    const string Template =
        "N:{{cliente.nombre_completo}}|O:{{orden.numero}}|T:{{orden.total}} {{orden.moneda}}|F:{{orden.fecha}}|P:{{#each orden.productos}}{{nombre}} x {{cantidad}};{{/each}}";
    // An order of 250 products does not fit an SMS listing them all; the other variables still must arrive.
    const string ShortTemplate = "N:{{cliente.nombre_completo}}|O:{{orden.numero}}|T:{{orden.total}} {{orden.moneda}}|F:{{orden.fecha}}";

    static IEnumerable<ShopifyFixture> Corpus() => ShopifyFixture.In("vendor", "variants");

    [TestCaseSource(nameof(Corpus))]
    public async Task A_real_payload_reaches_the_customer_with_the_values_the_merchant_uses(ShopifyFixture fixture)
    {
        fixture = fixture.PlacedAfterConnection();
        var workspace = await System.CreateWorkspaceAsync(defaultCountry: fixture.ShopCountry);
        var listsProducts = fixture.ExpectedProducts.Count > 0;
        var automation = await workspace.CreateAutomationAsync(fixture.Trigger, listsProducts ? Template : ShortTemplate);
        // The values as the webhook carries them: reconciliation (which writes created_at in the shop's time zone) stays out.
        await workspace.OnlyWebhooksBringOrdersAsync();

        Assert.That(await workspace.DeliverAsync(fixture.Topic, JsonValue.Create(0)!, rawBody: fixture.PayloadText), Is.EqualTo(200), fixture.Source);

        var runs = await Eventually.Get(() => workspace.RunsAsync(automation), r => r.Count >= 1, TimeSpan.FromSeconds(30), "a run in the history");
        Assert.That(runs, Has.Count.EqualTo(1));
        if (!fixture.ExpectsSms)
        {
            Assert.That(runs[0]!["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            // No phone at all, or only ones that cannot be dialled: the run says which.
            Assert.That(runs[0]!["errorCode"]?.GetValue<string>(), Is.EqualTo(fixture.Expected("errorCode")));
            Assert.That(await workspace.SmsAsync(), Is.Empty);
            return;
        }

        var sms = (await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "SMS at Twilio")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(sms.To, Is.EqualTo(fixture.Expected("phone")), "recipient");
            Assert.That(sms.Body, Does.Contain($"N:{fixture.Expected("customerName")}|"), "customer name");
            Assert.That(sms.Body, Does.Contain($"|O:{fixture.Expected("orderNumber")}|"), "order number");
            Assert.That(sms.Body, Does.Contain($"|T:{fixture.Expected("total")} {fixture.Expected("currency")}|"), "total and currency");
            Assert.That(sms.Body, Does.Contain($"|F:{fixture.Expected("createdAt")}"), "the date as the shop wrote it");
            if (listsProducts)
                Assert.That(sms.Body, Does.EndWith("|P:" + string.Concat(fixture.ExpectedProducts.Select(p => p + ";"))), "products");
        });
    }

    [Test]
    public async Task Neither_the_corpus_nor_broken_payloads_leave_a_message_in_an_error_queue()
    {
        var before = await System.ErrorQueueMessagesAsync();
        var fixtures = ShopifyFixture.In("vendor", "variants", "broken").Select(f => f.PlacedAfterConnection()).ToList();

        // Each in its own workspace (several fixtures share Shopify's example order id), all at once.
        var delivered = await Task.WhenAll(fixtures.Select(async fixture =>
        {
            var workspace = await System.CreateWorkspaceAsync(defaultCountry: fixture.ShopCountry);
            var automation = await workspace.CreateAutomationAsync(fixture.Trigger, ShortTemplate);
            Assert.That(await workspace.DeliverAsync(fixture.Topic, JsonValue.Create(0)!, rawBody: fixture.PayloadText), Is.EqualTo(200), fixture.File);
            return (fixture, workspace, automation);
        }));

        foreach (var (fixture, workspace, automation) in delivered)
        {
            // Every event ends in the merchant's run history: sent, or failed with a code a person can read.
            var runs = await Eventually.Get(() => workspace.RunsAsync(automation), r => r.Count >= 1, TimeSpan.FromSeconds(60), $"run of {fixture.File}");
            var status = runs.Single()!["status"]!.GetValue<string>();
            var code = runs.Single()!["errorCode"]?.GetValue<string>();
            Assert.That(status == "succeeded" || code is "no_phone" or "invalid_trigger_data" or "invalid_phone", Is.True,
                $"{fixture.File}: {status} {code}");
            if (fixture.ExpectsSms) Assert.That(status, Is.EqualTo("succeeded"), fixture.File);
        }

        var after = await System.ErrorQueueMessagesAsync();
        var poisoned = after.Where(q => q.Value > before.GetValueOrDefault(q.Key)).Select(q => $"{q.Key}: {q.Value}").ToList();
        Assert.That(poisoned, Is.Empty, "no message became a poison message");
    }
}
