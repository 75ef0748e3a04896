using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// Shopify events handled a batch at a time. The batches are handed to the engine's TriggerProcessor directly, as its batch
/// consumers do, so what is in one batch is certain; what the batch wrote and published is then checked as a user would.
/// </summary>
public class BatchTests
{
    const string Body = "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}}";

    static async Task HandleBatchAsync(params ShopifyOrderCreated[] batch)
    {
        using var scope = Engine.Services.CreateScope();
        var processor = scope.ServiceProvider.GetRequiredService<TriggerProcessor>();
        await processor.HandleShopifyAsync([.. batch.Select(e => new ShopifyTrigger(e, e.Order))], TriggerNames.ShopifyOrderCreated, default);
    }

    static ShopifyOrderCreated Created(Guid workspaceId, ShopifyOrder? order = null) =>
        new(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, order ?? Order(NewOrderId()));

    static async Task<List<RunSummary>> RunsAsync(Guid workspaceId, Guid automationId)
    {
        using var client = Client(workspaceId);
        return (await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automationId}/runs"))!;
    }

    [Test]
    public async Task A_batch_with_a_repeated_and_a_redelivered_event_runs_each_event_once()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var redelivered = Created(workspaceId);
        await Bus.Publish(redelivered);
        await WaitHandledAsync(redelivered.EventId);
        var (a, b) = (Created(workspaceId), Created(workspaceId));

        await HandleBatchAsync(a, a, redelivered, b);

        var runs = await RunsAsync(workspaceId, automation.Id);
        Assert.That(runs.Select(r => r.TriggerEventId).Order(), Is.EqualTo(new[] { redelivered.EventId, a.EventId, b.EventId }.Order()), "one run per event");
        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 3, because: "three SmsRequested");
        Assert.That(sms.Select(s => s.Origin.TriggerEventId).Distinct().Count(), Is.EqualTo(3));
        // Published right after the batch's commit, then marked sent by the dispatcher's next pass.
        var requestIds = sms.Select(s => s.RequestId).ToList();
        await Eventually.Get(() => QueryAsync(db => db.OutboxMessages.CountAsync(m => requestIds.Contains(m.Id) && m.SentAt == null)),
            unsent => unsent == 0, because: "the batch's rows marked sent");
    }

    [Test]
    public async Task A_bad_event_in_a_batch_fails_alone_with_its_code_and_the_others_run()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        // PostgreSQL stores no NUL character in text or jsonb: the whole batch's transaction fails on it.
        var bad = Created(workspaceId, Order(NewOrderId(), phone: "+573001230002") with { Note = "Entregar\u0000 en la tarde" });
        var (good1, good2) = (Created(workspaceId, Order(NewOrderId(), phone: "+573001230001")), Created(workspaceId, Order(NewOrderId(), phone: "+573001230003")));

        await HandleBatchAsync(good1, bad, good2);

        var runs = await RunsAsync(workspaceId, automation.Id);
        Assert.That(runs.Select(r => (r.TriggerEventId, r.Status, r.ErrorCode)).OrderBy(r => r.Item1), Is.EqualTo(new[]
        {
            (good1.EventId, "succeeded", (string?)null), (bad.EventId, "failed", "invalid_trigger_data"), (good2.EventId, "succeeded", null),
        }.OrderBy(r => r.Item1)));
        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 2, because: "the good events' SMS");
        Assert.That(sms.Select(s => s.To).Order(), Is.EqualTo(new[] { "+573001230001", "+573001230003" }));
    }

    [Test]
    public async Task Two_orders_of_one_new_customer_in_a_batch_make_one_contact_announced_once()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId,
            new { name = "Bienvenida", trigger = TriggerNames.CrmContactCreated, actions = new[] { SmsAction("Hola {{contacto.nombre}}", "{{contacto.telefono}}") } });
        var (first, second) = (Created(workspaceId, Order(NewOrderId(), phone: "+573009990001")), Created(workspaceId, Order(NewOrderId(), phone: "+573009990001")));

        await HandleBatchAsync(first, second);

        var contacts = await QueryAsync(db => db.Contacts.Where(c => c.WorkspaceId == workspaceId).ToListAsync());
        Assert.That(contacts.Select(c => c.Phone), Is.EqualTo(new[] { "+573009990001" }));
        var orders = await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId).ToListAsync());
        Assert.That(orders.Select(o => o.ContactId), Is.EqualTo(new Guid?[] { contacts[0].Id, contacts[0].Id }), "both orders on the one contact");
        var announced = await QueryAsync(db => db.OutboxMessages.Where(m => m.MessageType == nameof(CrmContactCreated)
            && (m.Id == DeterministicGuid.Create(first.EventId, "crm-contact-created") || m.Id == DeterministicGuid.Create(second.EventId, "crm-contact-created"))).CountAsync());
        Assert.That(announced, Is.EqualTo(1), "crm.contact_created once");
    }

    [Test]
    public async Task Disabling_an_automation_through_the_api_stops_it_for_the_next_order()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var before = Created(workspaceId);
        await Bus.Publish(before);
        await WaitHandledAsync(before.EventId);

        using var client = Client(workspaceId);
        Assert.That((int)(await client.PostAsync($"/api/automations/{automation.Id}/disable", null)).StatusCode, Is.EqualTo(200));
        var after = Created(workspaceId);
        await Bus.Publish(after);
        await WaitHandledAsync(after.EventId);

        Assert.That((await RunsAsync(workspaceId, automation.Id)).Select(r => r.TriggerEventId), Is.EqualTo(new[] { before.EventId }));
    }

    [Test]
    public async Task An_integration_turned_off_is_seen_by_the_next_order()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var before = Created(workspaceId);
        await Bus.Publish(before);
        await WaitHandledAsync(before.EventId);

        await SetIntegrationAsync(workspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Removed);
        var after = Created(workspaceId);
        await Bus.Publish(after);
        await WaitHandledAsync(after.EventId);

        var runs = await RunsAsync(workspaceId, automation.Id);
        Assert.That(runs.Single(r => r.TriggerEventId == after.EventId).ErrorCode, Is.EqualTo("twilio_not_configured"));
        Assert.That(runs.Single(r => r.TriggerEventId == before.EventId).Status, Is.EqualTo("succeeded"));
    }

    [Test]
    public async Task A_crm_event_is_published_only_where_an_automation_starts_on_it()
    {
        var quiet = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(quiet, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var listening = await NewWorkspaceAsync(autoSync: true);
        var onOrder = await CreateAutomationAsync(listening, new
        {
            name = "Seguimiento", trigger = TriggerNames.CrmOrderCreated,
            actions = new[] { new { type = "create_task", config = new Dictionary<string, object> { ["title"] = "Llamar al cliente" } } },
        });
        var (toQuiet, toListening) = (Created(quiet), Created(listening));

        await Bus.Publish(toQuiet);
        await Bus.Publish(toListening);

        var crmRun = await Eventually.Get(() => RunsAsync(listening, onOrder.Id), l => l.Count > 0, because: "the crm.order_created automation ran");
        Assert.That(crmRun.Single().TriggerEventId, Is.EqualTo(DeterministicGuid.Create(toListening.EventId, "crm-order-created")));
        await WaitHandledAsync(toQuiet.EventId);
        Assert.That(await QueryAsync(db => db.Orders.CountAsync(o => o.WorkspaceId == quiet)), Is.EqualTo(1), "the order is still synced");
        var crmEvents = new[] { DeterministicGuid.Create(toQuiet.EventId, "crm-order-created"), DeterministicGuid.Create(toQuiet.EventId, "crm-contact-created") };
        Assert.That(await QueryAsync(db => db.OutboxMessages.CountAsync(m => crmEvents.Contains(m.Id))), Is.Zero, "no CRM event written or published");
    }
}
