using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.EndToEnd.Tests;

/// <summary>
/// Shopify's mandatory compliance webhooks through the whole system: what customers/redact erases is gone from every
/// service (the usage page included) while counts and costs stay; what customers/data_request finds reaches the
/// merchant through config-api.
/// </summary>
[Parallelizable]
public class ShopifyComplianceTests
{
    static SystemFixture System => TestRun.System;
    const string Template = "Hola {{cliente.nombre}}, tu orden {{orden.numero}} va en camino";

    static async Task<(Workspace Workspace, JsonObject Order)> OrderWithSmsAsync(string phone)
    {
        var workspace = await System.CreateWorkspaceAsync();
        await workspace.CreateAutomationAsync("shopify.order_created", Template);
        var order = Workspace.Order("Ana Gómez", phone, 120000m);
        Assert.That(await workspace.DeliverAsync("orders/create", order), Is.EqualTo(200));
        await Eventually.Get(() => workspace.UsageAsync(), u => u["totalSent"]!.GetValue<int>() == 1 && u["pendingCount"]!.GetValue<int>() == 0,
            TimeSpan.FromSeconds(60), "the SMS sent and priced in usage");
        return (workspace, order);
    }

    [Test]
    public async Task After_customers_redact_usage_no_longer_shows_the_number_or_the_text_and_the_cost_stays()
    {
        var (workspace, order) = await OrderWithSmsAsync("+573001239876");
        var before = await workspace.UsageAsync();
        Assert.That(before["messages"]![0]!["to"]!.GetValue<string>(), Is.EqualTo("+573001239876"));

        // Shopify names the customer by id and email only, and the order to erase.
        var status = await workspace.DeliverAsync("customers/redact", new JsonObject
        {
            ["shop_id"] = 1, ["shop_domain"] = workspace.ShopDomain,
            ["customer"] = new JsonObject { ["id"] = order["customer"]!["id"]!.GetValue<long>(), ["email"] = order["email"]!.GetValue<string>(), ["phone"] = null },
            ["orders_to_redact"] = new JsonArray(order["id"]!.GetValue<long>()),
        });
        Assert.That(status, Is.EqualTo(200));

        var after = await Eventually.Get(() => workspace.UsageAsync(), u => u["messages"]![0]!["to"]!.GetValue<string>() != "+573001239876",
            TimeSpan.FromSeconds(30), "the number erased from usage");
        var message = after["messages"]![0]!;
        Assert.That(message["to"]!.GetValue<string>(), Is.EqualTo("****"));
        Assert.That(message["body"]?.GetValue<string>() ?? "", Is.Empty);
        Assert.That(after.ToJsonString(), Does.Not.Contain("3001239876").And.Not.Contain("Ana"));
        Assert.That(after["totalSent"]!.GetValue<int>(), Is.EqualTo(1), "counts stay");
        Assert.That(after["totalCost"]!.GetValue<decimal>(), Is.EqualTo(before["totalCost"]!.GetValue<decimal>()), "costs stay");
    }

    [Test]
    public async Task A_customer_data_request_shows_the_owner_what_morfx_holds_about_the_customer()
    {
        var (workspace, order) = await OrderWithSmsAsync("+573004561234");
        var status = await workspace.DeliverAsync("customers/data_request", new JsonObject
        {
            ["shop_id"] = 1, ["shop_domain"] = workspace.ShopDomain, ["orders_requested"] = new JsonArray(order["id"]!.GetValue<long>()),
            ["customer"] = new JsonObject { ["id"] = order["customer"]!["id"]!.GetValue<long>(), ["email"] = order["email"]!.GetValue<string>(), ["phone"] = "+573004561234" },
            ["data_request"] = new JsonObject { ["id"] = 9999 },
        });
        Assert.That(status, Is.EqualTo(200));

        using var config = System.ConfigApi.CreateClient(workspace.Token);
        var list = await Eventually.Get(() => config.GetFromJsonAsync<JsonArray>("/api/integrations/shopify/data-requests")!,
            l => l!.Count == 1 && l[0]!["reportedBy"]!.AsArray().Count == 2, TimeSpan.FromSeconds(30), "both services reported");
        var detail = await config.GetFromJsonAsync<JsonObject>($"/api/integrations/shopify/data-requests/{list![0]!["id"]}");
        Assert.That(detail!["request"]!["shopifyRequestId"]!.GetValue<long>(), Is.EqualTo(9999));
        Assert.That(detail["data"]!["automation-engine"]!.ToJsonString(), Does.Contain(order["email"]!.GetValue<string>()));
        var message = detail["data"]!["sms-sender"]!["messages"]!.AsArray().Single()!;
        Assert.That(message["to"]!.GetValue<string>(), Is.EqualTo("+573004561234"));
        Assert.That(message["body"]!.GetValue<string>(), Does.EndWith("va en camino"));
        Assert.That(await workspace.UsageAsync() is { } u && u["totalSent"]!.GetValue<int>() == 1, "a data request erases nothing");

        using var agent = System.ConfigApi.CreateClient(Tokens.For(workspace.Id, Roles.Agent));
        Assert.That((await agent.GetAsync("/api/integrations/shopify/data-requests")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "only owner or admin read customers' data");
    }
}
