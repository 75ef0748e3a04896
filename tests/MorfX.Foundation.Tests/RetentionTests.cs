using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MorfX.Data;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.Foundation.Tests;

/// <summary>
/// Retention on each service's growing tables: a row past its table's age goes, a row still inside it stays, and a row
/// some work still needs (an unsent outbox message, an SMS still waiting for its price) stays however old it is.
/// </summary>
public class RetentionTests
{
    /// <summary>
    /// One row of a table: <paramref name="Insert"/> writes it with key {0} and age {1} (SQL); <paramref name="Count"/>
    /// counts it and what belongs to it (default: rows of the table with that key). <paramref name="Needed"/>: kept when old.
    /// </summary>
    public sealed record Row(string Table, string Insert, string? Count = null, bool Needed = false, string Key = "request_id")
    {
        public string CountSql => Count ?? $"SELECT count(*)::int AS \"Value\" FROM {Table} WHERE {Key} = {{0}}";
    }

    static readonly Dictionary<string, Row[]> RowsByService = new()
    {
        [ResourceNames.WebhookIngest] =
        [
            new("received_webhooks", "INSERT INTO received_webhooks VALUES ({0}::text, 'shopify', 'orders/create', gen_random_uuid(), gen_random_uuid(), now() - {1})",
                Count: "SELECT count(*)::int AS \"Value\" FROM received_webhooks WHERE webhook_id = {0}::text"),
            .. OutboxRows("ShopifyWebhookDelivered"),
        ],
        [ResourceNames.AutomationEngine] =
        [
            new("processed_events", "INSERT INTO processed_events VALUES ({0}, gen_random_uuid(), 'shopify.order_created', now() - {1})", Key: "event_id"),
            new("automation_runs", """
                WITH run AS (INSERT INTO automation_runs (id, workspace_id, automation_id, trigger_event_id, trigger, status, started_at)
                             VALUES ({0}, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'shopify.order_created', 'succeeded', now() - {1}) RETURNING id)
                INSERT INTO automation_run_steps (id, run_id, step_index, action, status) SELECT gen_random_uuid(), id, 0, 'send_sms', 'succeeded' FROM run
                """,
                Count: "SELECT ((SELECT count(*) FROM automation_runs WHERE id = {0}) + (SELECT count(*) FROM automation_run_steps WHERE run_id = {0}))::int AS \"Value\""),
            .. OutboxRows("SendWhatsAppRequested"),
            new("last_shopify_orders", "INSERT INTO last_shopify_orders (workspace_id, shopify_order_id, fields, seen_at) VALUES ({0}, 1001, '{{}}', now() - {1})",
                Key: "workspace_id"),
            new("marketing_sends", "INSERT INTO marketing_sends VALUES ({0}, gen_random_uuid(), '+573001234567', now() - {1})", Key: "request_id"),
            new("redacted_customers", "INSERT INTO redacted_customers VALUES ({0}, sha256(convert_to({0}::text, 'UTF8')), now() - {1})", Key: "workspace_id"),
        ],
        [ResourceNames.SmsSender] =
        [
            new("sms_messages", SmsMessage("NULL", "settled")),
            // A price check still to come (an hour from now, so the running reconciler leaves the row alone during the test).
            new("sms_messages", SmsMessage("now() + interval '1 hour'", "sent"), Needed: true),
            new("redacted_recipients", "INSERT INTO redacted_recipients VALUES ({0}, sha256(convert_to({0}::text, 'UTF8')), now() - {1})",
                Key: "workspace_id"),
            .. OutboxRows("SmsActivity"),
        ],
        [ResourceNames.UsageApi] =
        [
            new("sms_usage", "INSERT INTO sms_usage (request_id, workspace_id, status_rank, segments, sent_at, updated_at) VALUES ({0}, gen_random_uuid(), 4, 1, now() - {1}, now() - {1})"),
        ],
        [ResourceNames.ConfigApi] =
        [
            new("customer_data_requests", "INSERT INTO customer_data_requests (request_id, workspace_id, shop_domain, orders_requested, requested_at) VALUES ({0}, gen_random_uuid(), 'tienda.myshopify.com', '{{}}', now() - {1})"),
            new("customer_data_reports", "INSERT INTO customer_data_reports VALUES ({0}, 'sms-sender', gen_random_uuid(), 'sin datos', now() - {1})"),
            new("shopify_recovered_orders", "INSERT INTO shopify_recovered_orders VALUES ({0}, 'shopify.order_created', 1001, now() - {1})",
                Key: "workspace_id"),
            new("shopify_subscription_repairs", "INSERT INTO shopify_subscription_repairs (workspace_id, topic, repaired_at) VALUES ({0}, 'ORDERS_CREATE', now() - {1})",
                Key: "workspace_id"),
            new("integration_changes", "INSERT INTO integration_changes (workspace_id, integration, changed_at) VALUES ({0}, 'twilio', now() - {1})",
                Key: "workspace_id"),
            new("shopify_secret_tombstones", "INSERT INTO shopify_secret_tombstones VALUES ({0}::text || '.myshopify.com', gen_random_uuid(), 'cipher', NULL, 'CO', now() - {1})",
                Count: "SELECT count(*)::int AS \"Value\" FROM shopify_secret_tombstones WHERE shop_domain = {0}::text || '.myshopify.com'"),
            .. OutboxRows("IntegrationChanged"),
        ],
    };

    /// <summary>The shared outbox's table: an old sent row goes; an old unsent one (of a type no dispatcher reads) stays.</summary>
    static Row[] OutboxRows(string sentType) =>
    [
        new("outbox_messages", $"INSERT INTO outbox_messages VALUES ({{0}}, '{sentType}', '{{{{}}}}', now() - {{1}}, now() - {{1}})", Key: "id"),
        new("outbox_messages", "INSERT INTO outbox_messages VALUES ({0}, 'RetentionTest', '{{}}', now() - {1}, NULL)", Key: "id", Needed: true),
    ];

    static string SmsMessage(string nextPriceCheck, string state) => """
        INSERT INTO sms_messages (request_id, workspace_id, to_number, body, media_urls, segments, encoding, status, state, origin_kind,
            created_at, updated_at, price_checks, next_price_check_at)
        VALUES ({0}, gen_random_uuid(), '+573001234567', 'Hola', '{{}}', 1, 'GSM-7', 'delivered', 'STATE', 'automation', now() - {1}, now() - {1}, 0, NEXT_CHECK)
        """.Replace("NEXT_CHECK", nextPriceCheck).Replace("STATE", state);

    static IEnumerable<ServiceUnderTest> Services() => ServiceUnderTest.All();

    [TestCaseSource(nameof(Services))]
    public async Task Rows_past_their_tables_age_are_deleted_and_recent_or_still_needed_rows_stay(ServiceUnderTest service)
    {
        var settings = TestInfrastructure.ServiceSettings(service.Database);
        settings["Retention:Enabled"] = "false"; // no background pass: the test runs one itself
        await using var running = await RunningService.StartAsync(service.Build, settings);
        var worker = (dynamic)running.Services.GetRequiredService(typeof(RetentionWorker<>).MakeGenericType(service.Context));
        var rules = ((IReadOnlyList<RetentionRule>)worker.Rules).ToDictionary(r => r.Table);
        var rows = RowsByService[service.Name];
        Assert.That(rows.Select(r => r.Table).Distinct(), Is.EquivalentTo(rules.Keys), "every table with a retention rule is covered here");

        var written = new List<(Row Row, Guid Key, bool Old, int Count)>();
        await using (var db = service.CreateContext(running.Services))
            foreach (var row in rows)
                foreach (var old in new[] { true, false })
                {
                    var rule = rules[row.Table];
                    var age = old ? rule.Keep + TimeSpan.FromDays(1) : rule.Keep - TimeSpan.FromHours(1);
                    var key = Guid.NewGuid();
                    await db.Database.ExecuteSqlRawAsync(row.Insert, key, age);
                    written.Add((row, key, old, await CountAsync(db, row, key)));
                }

        Dictionary<string, int> deleted = await worker.PurgeAsync(CancellationToken.None);
        TestContext.Out.WriteLine(string.Join(", ", deleted.Select(d => $"{d.Key}: {d.Value} deleted")));

        await using var after = service.CreateContext(running.Services);
        foreach (var (row, key, old, count) in written)
        {
            var gone = old && !row.Needed;
            Assert.That(count, Is.GreaterThan(0), $"{row.Table}: the row was written");
            Assert.That(await CountAsync(after, row, key), Is.EqualTo(gone ? 0 : count),
                $"{row.Table}: {(old ? "old" : "recent")}{(row.Needed ? " and still needed" : "")} row {(gone ? "deleted" : "kept")}");
        }
    }

    [Test]
    public void A_dedupe_table_cannot_be_set_to_forget_before_the_vendor_stops_redelivering()
    {
        var settings = TestInfrastructure.ServiceSettings(ResourceNames.IngestDb);
        settings["Retention:Keep:received_webhooks"] = "1.00:00:00";

        var error = Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var _ = await RunningService.StartAsync(MorfX.WebhookIngest.Program.Build, settings);
        });

        Assert.That(error!.Message, Does.Contain("received_webhooks 2.00:00:00"));
    }

    static async Task<int> CountAsync(DbContext db, Row row, Guid key) =>
        await db.Database.SqlQueryRaw<int>(row.CountSql, key).SingleAsync();
}
