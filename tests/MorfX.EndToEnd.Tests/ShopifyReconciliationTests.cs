using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// Never miss an order: Shopify's webhooks are best effort (dropped after 8 retries over 4 hours, subscriptions removed when
/// deliveries keep failing), so config-api reconciles each shop with the Admin API (every 2 s here). The Shopify emulator
/// keeps every order it was given, can stop delivering for one shop, and removes a subscription after failed deliveries, as
/// Shopify does. What is asserted is what the merchant sees: each order's one SMS, and the shop's delivery health.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ShopifyReconciliationTests
{
    static SystemFixture System => TestRun.System;
    const string Template = "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}}";

    [Test]
    public async Task With_webhooks_off_for_the_whole_test_every_order_still_gets_exactly_one_sms_and_health_shows_it()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", Template);
        await workspace.SetDeliveriesAsync(enabled: false);

        var orders = Enumerable.Range(0, 5).Select(i => Workspace.Order($"Cliente {i}", $"+57300555{i:0000}", 1000m + i)).ToList();
        foreach (var order in orders)
            Assert.That(await workspace.DeliverAsync("orders/create", order), Is.Null, "Shopify has the order, but does not deliver it");

        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= orders.Count, TimeSpan.FromSeconds(60), "every order's SMS");
        // Further passes read the same orders again (the overlap): still one SMS each.
        await Task.Delay(TimeSpan.FromSeconds(6));
        sms = await workspace.SmsAsync();
        Assert.That(sms.Select(m => m.To).Order(), Is.EqualTo(orders.Select((_, i) => $"+57300555{i:0000}").Order()), "one SMS per order");
        Assert.That(sms.Select(m => m.Body), Is.EquivalentTo(orders.Select(o => $"Hola {o["customer"]!["first_name"]}, recibimos tu orden {o["name"]}")));

        var health = await Eventually.Get(workspace.ShopifyHealthAsync,
            h => h["recovered"]!["last24Hours"]!.GetValue<int>() == orders.Count, TimeSpan.FromSeconds(30), "recovered orders counted");
        Assert.That(health["recovered"]!["last7Days"]!.GetValue<int>(), Is.EqualTo(orders.Count));
        Assert.That(health["problem"]!["code"]!.GetValue<string>(), Is.EqualTo("shopify_webhooks_missed"));
        Assert.That(health["problem"]!["detail"]!.GetValue<string>(), Does.Contain("5 órdenes"));
        Assert.That(health["reconciliation"]!["lastRunAt"], Is.Not.Null);
        Assert.That(health["apiVersion"]!.GetValue<string>(), Is.EqualTo("2026-10"));
        Assert.That(health["lastWebhook"], Is.Null, "no webhook ever arrived");
    }

    [Test]
    public async Task A_late_webhook_after_reconciliation_sends_nothing_more()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var created = await workspace.CreateAutomationAsync("shopify.order_created", Template);
        var paid = await workspace.CreateAutomationAsync("shopify.order_updated", "Pago recibido, orden {{orden.numero}}",
            conditions: [new { field = "orden.estado_pago", @operator = "changed_to", value = "paid" }]);
        await workspace.SetDeliveriesAsync(enabled: false);

        var order = Workspace.Order("Ana Gómez", "+573001112233", 5000m, "pending");
        await workspace.DeliverAsync("orders/create", order);
        await Eventually.Get(workspace.SmsAsync, m => m.Count == 1, TimeSpan.FromSeconds(60), "the order's SMS, from reconciliation");
        var paidOrder = order.DeepClone().AsObject();
        paidOrder["financial_status"] = "paid";
        paidOrder["updated_at"] = DateTimeOffset.UtcNow.AddSeconds(2).ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        await workspace.DeliverAsync("orders/updated", paidOrder);
        await Eventually.Get(workspace.SmsAsync, m => m.Count == 2, TimeSpan.FromSeconds(60), "the payment's SMS, from reconciliation");

        // Shopify delivers again (its retries carry the original payloads), after MorfX already acted on both.
        await workspace.SetDeliveriesAsync(enabled: true);
        Assert.That(await workspace.DeliverAsync("orders/create", order), Is.EqualTo(200));
        Assert.That(await workspace.DeliverAsync("orders/updated", paidOrder), Is.EqualTo(200));
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.That(await workspace.SmsAsync(), Has.Count.EqualTo(2), "nothing sent twice");
        Assert.That(await workspace.RunsAsync(created), Has.Count.EqualTo(1));
        Assert.That(await workspace.RunsAsync(paid), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_older_update_arriving_after_a_newer_one_neither_rolls_back_nor_fires_again()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var automation = await workspace.CreateAutomationAsync("shopify.order_updated", "Estado {{orden.estado_pago}}",
            conditions: [new { field = "orden.estado_pago", @operator = "changed_to", value = "pending" }]);
        var pending = Workspace.Order("Luis Peña", "+573105550101", 10m, "pending");
        var refunded = pending.DeepClone().AsObject();
        refunded["financial_status"] = "refunded";
        refunded["updated_at"] = DateTimeOffset.UtcNow.AddMinutes(1).ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

        Assert.That(await workspace.DeliverAsync("orders/updated", pending), Is.EqualTo(200));
        await Eventually.Get(workspace.SmsAsync, m => m.Count == 1, TimeSpan.FromSeconds(60), "pending: the first state seen");
        Assert.That(await workspace.DeliverAndWaitHandledAsync("orders/updated", refunded), Is.EqualTo(200));
        // Shopify retries the older update late, with its original payload and a newer X-Shopify-Triggered-At.
        Assert.That(await workspace.DeliverAndWaitHandledAsync("orders/updated", pending), Is.EqualTo(200));

        Assert.That(await workspace.SmsAsync(), Has.Count.EqualTo(1), "refunded -> pending is not a change: the older state came late");
        Assert.That(await workspace.RunsAsync(automation), Has.Count.EqualTo(1));
        Assert.That(await workspace.CrmOrderPaymentStatusAsync(pending["id"]!.GetValue<long>()), Is.EqualTo("refunded"), "the CRM copy keeps the newest state");
    }

    [Test]
    public async Task A_subscription_shopify_removed_after_failed_deliveries_comes_back_and_no_order_is_lost()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", Template);
        var before = (await workspace.EmulatorSubscriptionsAsync()).Single(s => s["topic"]!.GetValue<string>() == "ORDERS_CREATE")["id"]!.GetValue<string>();

        // Deliveries the endpoint refuses (signed with another secret): after 8 in a row Shopify removes the subscription.
        var refused = Enumerable.Range(0, 8).Select(i => Workspace.Order($"Cliente {i}", $"+57301555{i:0000}", 1m)).ToList();
        foreach (var order in refused)
            Assert.That(await workspace.DeliverToSubscriptionAsync("orders/create", order, secret: "otro-secreto"), Is.EqualTo(401));
        Assert.That(await workspace.EmulatorRemovedSubscriptionsAsync(), Has.Some.Matches<JsonNode>(s => s["id"]!.GetValue<string>() == before));

        var restored = await Eventually.Get(workspace.EmulatorSubscriptionsAsync,
            s => s.Any(x => x["topic"]!.GetValue<string>() == "ORDERS_CREATE"), TimeSpan.FromSeconds(30), "ORDERS_CREATE subscribed again");
        Assert.That(restored.Single(s => s["topic"]!.GetValue<string>() == "ORDERS_CREATE")["callbackUrl"]!.GetValue<string>(), Does.EndWith("/webhooks/shopify"));
        var health = await Eventually.Get(workspace.ShopifyHealthAsync,
            h => h["subscriptions"]!.AsArray().Any(s => s!["state"]!.GetValue<string>() == "restored"), TimeSpan.FromSeconds(30), "health shows the repair");
        var repaired = health["subscriptions"]!.AsArray().Single(s => s!["topic"]!.GetValue<string>() == "ORDERS_CREATE")!;
        Assert.That(repaired["state"]!.GetValue<string>(), Is.EqualTo("restored"));
        Assert.That(repaired["restoredAt"], Is.Not.Null);

        // Orders are delivered through it again, and the refused ones were recovered by reconciliation: one SMS each.
        Assert.That(await workspace.DeliverToSubscriptionAsync("orders/create", Workspace.Order("Marta Ruiz", "+573005550123", 1m)), Is.EqualTo(200));
        var expected = refused.Select((_, i) => $"+57301555{i:0000}").Append("+573005550123").Order().ToList();
        await Eventually.Get(workspace.SmsAsync, m => m.Count >= expected.Count, TimeSpan.FromSeconds(60), "every order's SMS");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.That((await workspace.SmsAsync()).Select(m => m.To).Order(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Orders_and_updates_from_before_the_connection_start_nothing()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var created = await workspace.CreateAutomationAsync("shopify.order_created", Template);
        var updated = await workspace.CreateAutomationAsync("shopify.order_updated", "Actualizada {{orden.numero}}");
        var old = Workspace.Order("Ana Gómez", "+573001234567", 1m);
        old["created_at"] = DateTimeOffset.UtcNow.AddDays(-30).ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        old["updated_at"] = DateTimeOffset.UtcNow.AddDays(-1).ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

        // A late delivery of an update made yesterday, and last month's order itself.
        Assert.That(await workspace.DeliverAsync("orders/updated", old), Is.EqualTo(200), "accepted, so Shopify stops retrying");
        Assert.That(await workspace.DeliverAsync("orders/create", old), Is.EqualTo(200));
        await Task.Delay(TimeSpan.FromSeconds(6)); // reconciliation passes too: the emulator keeps the order

        Assert.That(await workspace.SmsAsync(), Is.Empty);
        Assert.That(await workspace.RunsAsync(created), Is.Empty);
        Assert.That(await workspace.RunsAsync(updated), Is.Empty);
    }

    [Test]
    public async Task A_revoked_token_pauses_reconciliation_without_a_retry_storm_and_a_new_save_resumes_it()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", Template);
        await workspace.ShopifyAdminFaultAsync("unauthorized");

        var health = await Eventually.Get(workspace.ShopifyHealthAsync, h => h["status"]!.GetValue<string>() == "needs_attention",
            TimeSpan.FromSeconds(30), "needs_attention");
        Assert.That(health["problem"]!["code"]!.GetValue<string>(), Is.EqualTo("shopify_token_revoked"));
        Assert.That(health["problem"]!["detail"]!.GetValue<string>(), Does.Contain("access token"));
        var calls = await workspace.EmulatorAdminCallsAsync();
        await Task.Delay(TimeSpan.FromSeconds(6)); // three intervals
        Assert.That(await workspace.EmulatorAdminCallsAsync(), Is.EqualTo(calls), "no call while paused");

        // The merchant reinstalls and saves: reconciliation resumes, and an order placed meanwhile is not missed.
        await workspace.SetDeliveriesAsync(enabled: false);
        var order = Workspace.Order("Ana Gómez", "+573001234567", 1m);
        await workspace.DeliverAsync("orders/create", order);
        await workspace.ClearShopifyAdminFaultsAsync();
        await workspace.SaveShopifyAgainAsync();
        await Eventually.Get(workspace.SmsAsync, m => m.Count == 1, TimeSpan.FromSeconds(60), "the order's SMS after the save");
        Assert.That((await workspace.ShopifyHealthAsync())["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }
}
