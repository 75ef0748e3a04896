using System.Text.Json.Nodes;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>The whole story through all five services: a signed Shopify order in, the customer's SMS out at Twilio, its cost in usage.</summary>
[Parallelizable]
public class OrderToSmsStoryTests
{
    static SystemFixture System => TestRun.System;
    const string Template = "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}} por {{orden.total}}";

    [Test]
    public async Task A_signed_order_becomes_one_sms_with_real_values_and_its_twilio_price_reaches_usage()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var automation = await workspace.CreateAutomationAsync("shopify.order_created", Template);
        var order = Workspace.Order("Ana Gómez", "300 123 4567", 150000m);

        Assert.That(await workspace.DeliverAsync("orders/create", order), Is.EqualTo(200));

        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "SMS at Twilio");
        Assert.That(sms, Has.Count.EqualTo(1));
        Assert.That(sms[0].To, Is.EqualTo("+573001234567"), "normalised with the shop's default country (CO)");
        Assert.That(sms[0].From, Is.EqualTo(workspace.FromNumber));
        Assert.That(sms[0].Body, Does.StartWith($"Hola Ana, recibimos tu orden {order["name"]} por 150000"));
        Assert.That(sms[0].Body, Does.Contain("150000"));

        // Twilio's status callbacks come back through webhook-ingest, the price arrives later through sms-sender's reconciler.
        var usage = await Eventually.Get(() => workspace.UsageAsync(),
            u => u["totalSent"]!.GetValue<int>() == 1 && u["pendingCount"]!.GetValue<int>() == 0, TimeSpan.FromSeconds(60), "priced in usage");
        Assert.That(usage["totalCost"]!.GetValue<decimal>(), Is.EqualTo(await workspace.EmulatorCostAsync()));
        var message = usage["messages"]!.AsArray().Single()!;
        Assert.That(message["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
        Assert.That(message["body"]!.GetValue<string>(), Does.StartWith("Hola Ana"));

        var runs = await workspace.RunsAsync(automation);
        Assert.That(runs, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task With_auto_sync_off_the_sms_still_goes_out()
    {
        var workspace = await System.CreateWorkspaceAsync(autoSyncOrders: false);
        await workspace.CreateAutomationAsync("shopify.order_created", Template);

        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Luis Peña", "+57 310 555 0101", 99000m)), Is.EqualTo(200));

        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "SMS at Twilio");
        Assert.That(sms.Single().Body, Does.StartWith("Hola Luis"));
    }

    [Test]
    public async Task A_draft_order_triggers_its_own_automation()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.draft_order_created", "Hola {{cliente.nombre}}, tu cotizacion {{orden.numero}} esta lista");
        var draft = Workspace.Order("Marta Ruiz", "+573005550123", 45000m);
        draft.Remove("order_number");
        draft.Remove("financial_status");
        draft["name"] = "#D12";
        draft["status"] = "open";
        draft["invoice_url"] = "https://tienda.myshopify.com/invoices/abc";

        Assert.That(await workspace.DeliverAsync("draft_orders/create", draft), Is.EqualTo(200));

        var sms = await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "SMS at Twilio");
        Assert.That(sms.Single().Body, Does.StartWith("Hola Marta, tu cotizacion"));
    }

    [Test]
    public async Task An_order_update_sends_only_when_payment_changes_to_paid()
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_updated", "Pago recibido para la orden {{orden.numero}}",
            conditions: [new { field = "orden.estado_pago", @operator = "changed_to", value = "paid" }]);
        var orderId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.That(await workspace.DeliverAsync("orders/updated", Workspace.Order("Ana Gómez", "+573001112233", 10m, "pending", orderId)), Is.EqualTo(200));
        await Task.Delay(1500);
        Assert.That(await workspace.SmsAsync(), Is.Empty, "pending -> no SMS");

        Assert.That(await workspace.DeliverAsync("orders/updated", Workspace.Order("Ana Gómez", "+573001112233", 10m, "paid", orderId)), Is.EqualTo(200));
        await Eventually.Get(workspace.SmsAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "SMS after the change to paid");

        Assert.That(await workspace.DeliverAsync("orders/updated", Workspace.Order("Ana Gómez", "+573001112233", 10m, "paid", orderId)), Is.EqualTo(200));
        await Task.Delay(1500);
        var sms = await workspace.SmsAsync();
        Assert.That(sms, Has.Count.EqualTo(1), "paid -> paid is not a change");
        Assert.That(sms[0].Body, Is.EqualTo($"Pago recibido para la orden #{orderId % 100000}"));
    }

    [Test]
    public async Task Without_twilio_nothing_is_sent_and_the_run_says_why()
    {
        var workspace = await System.CreateWorkspaceAsync();
        var automation = await workspace.CreateAutomationAsync("shopify.order_created", Template);
        using (var config = System.ConfigApi.CreateClient(workspace.Token))
            (await config.DeleteAsync("/api/integrations/twilio")).EnsureSuccessStatusCode();
        // The engine hears IntegrationChanged(removed) asynchronously.
        await Task.Delay(1500);

        Assert.That(await workspace.DeliverAsync("orders/create", Workspace.Order("Ana Gómez", "+573001234567", 1m)), Is.EqualTo(200));

        var runs = await Eventually.Get(() => workspace.RunsAsync(automation), r => r.Count >= 1, TimeSpan.FromSeconds(30), "a run");
        Assert.That(runs[0]!.ToJsonString(), Does.Contain("twilio_not_configured"));
        Assert.That(await workspace.SmsAsync(), Is.Empty);
    }
}
