using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MorfX.AutomationEngine.Apis;
using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>Real shops' customers: one contact each under concurrency, runs that say why they failed, and Shopify's compliance webhooks.</summary>
public class ShopifyCustomerTests
{
    const string Body = "Hola {{cliente.nombre}}, tu orden {{orden.numero}}";

    [Test]
    public async Task Create_and_update_of_a_new_customer_racing_on_two_queues_make_one_contact_announced_once()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        // crm.contact_created is announced only where an automation would start on it.
        await CreateAutomationAsync(workspaceId,
            new { name = "Bienvenida", trigger = TriggerNames.CrmContactCreated, actions = new[] { SmsAction("Hola {{contacto.nombre}}", "{{contacto.telefono}}") } });
        var customers = Enumerable.Range(0, 12).Select(i => (OrderId: NewOrderId(), Phone: $"+5730055{i:D5}", Email: $"cliente{i}-{Guid.NewGuid():N}@example.com")).ToList();

        var events = new List<Guid>();
        await Task.WhenAll(customers.SelectMany(c =>
        {
            var order = Order(c.OrderId, phone: c.Phone, email: c.Email);
            var (created, updated) = (Guid.NewGuid(), Guid.NewGuid());
            lock (events) events.AddRange([created, updated]);
            return new[]
            {
                Bus.Publish(new ShopifyOrderCreated(created, workspaceId, DateTimeOffset.UtcNow, order)),
                Bus.Publish(new ShopifyOrderUpdated(updated, workspaceId, DateTimeOffset.UtcNow, order)),
            };
        }));
        foreach (var e in events) await WaitHandledAsync(e);

        var contacts = await QueryAsync(db => db.Contacts.Where(c => c.WorkspaceId == workspaceId).ToListAsync());
        Assert.That(contacts.Select(c => c.Phone).Order(), Is.EqualTo(customers.Select(c => c.Phone).Order()), "one contact per customer");
        var orders = await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId).CountAsync());
        Assert.That(orders, Is.EqualTo(customers.Count), "one CRM order per Shopify order");
        var announced = await Eventually.Get(() => Task.FromResult(Published.OfType<CrmContactCreated>().Where(c => c.WorkspaceId == workspaceId).ToList()),
            l => l.Count >= customers.Count, because: "crm.contact_created");
        await Task.Delay(500);
        announced = [.. Published.OfType<CrmContactCreated>().Where(c => c.WorkspaceId == workspaceId)];
        Assert.That(announced.Select(a => a.Contact.Id).Order(), Is.EqualTo(contacts.Select(c => c.Id).Order()), "crm.contact_created once per contact");
    }

    [Test]
    public async Task An_order_without_any_phone_is_a_failed_run_with_code_no_phone()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var eventId = Guid.NewGuid();

        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId(), phone: null)));
        await WaitHandledAsync(eventId);

        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        Assert.That(runs!.Select(r => (r.Status, r.ErrorCode)), Is.EqualTo(new[] { ("failed", (string?)"no_phone") }));
        Assert.That(runs![0].Error, Does.Contain("teléfono"));
        Assert.That(SmsFor(workspaceId), Is.Empty);
    }

    [Test]
    public async Task An_event_whose_data_cannot_be_stored_is_a_failed_run_not_a_poison_message()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var eventId = Guid.NewGuid();
        var errorsBefore = await TestInfrastructure.ErrorQueueMessagesAsync();
        // PostgreSQL stores no NUL character in text or jsonb: a retry would fail the same way.
        var order = Order(NewOrderId()) with { Note = "Entregar\u0000 en la tarde" };

        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, order));
        await WaitHandledAsync(eventId);

        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        Assert.That(runs!.Select(r => (r.Status, r.ErrorCode)), Is.EqualTo(new[] { ("failed", (string?)"invalid_trigger_data") }));
        Assert.That(runs![0].Error, Does.Contain("no se pueden guardar"));
        Assert.That(await TestInfrastructure.ErrorQueueMessagesAsync(), Is.EqualTo(errorsBefore), "nothing parked in an _error queue");
    }

    [Test]
    public async Task A_customer_redaction_erases_the_crm_copy_snapshots_and_messages_and_names_the_sms_to_erase()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var (orderId, otherOrderId) = (NewOrderId(), NewOrderId());
        var eventId = Guid.NewGuid();
        var order = Order(orderId, phone: "+573004445566", email: "redact-me@example.com") with { Customer = new ShopifyCustomer(4242, "redact-me@example.com", "Ana", "Pérez", "+573004445566") };
        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, order));
        // Another customer of the same shop, who stays.
        var otherEvent = Guid.NewGuid();
        await Bus.Publish(new ShopifyOrderCreated(otherEvent, workspaceId, DateTimeOffset.UtcNow,
            Order(otherOrderId, phone: "+573007778899", email: "stays@example.com") with { Customer = new ShopifyCustomer(4343, "stays@example.com", "Luis", "Gil", "+573007778899") }));
        await WaitHandledAsync(eventId);
        await WaitHandledAsync(otherEvent);
        var requestId = (await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 2, because: "both SMS requested"))
            .Single(s => s.To == "+573004445566").RequestId;

        var redaction = Guid.NewGuid();
        await Bus.Publish(new ShopifyCustomerRedactRequested(redaction, workspaceId, "tienda.myshopify.com",
            new ShopifyCustomerRef(4242, "redact-me@example.com", null), [orderId], DateTimeOffset.UtcNow));

        var erased = await Eventually.Get(() => Task.FromResult(Published.OfType<SmsRecipientsRedacted>().Where(r => r.WorkspaceId == workspaceId).ToList()),
            l => l.Count >= 1, because: "SmsRecipientsRedacted");
        Assert.That(erased.Single().RequestIds, Is.EqualTo(new[] { requestId }));
        Assert.That(erased.Single().Phones, Does.Contain("+573004445566"), "found through the CRM copy, though Shopify sent no phone");
        Assert.That(erased.Single().Phones, Does.Not.Contain("+573007778899"));

        var contacts = await QueryAsync(db => db.Contacts.Where(c => c.WorkspaceId == workspaceId).Select(c => c.Email).ToListAsync());
        var orders = await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId).Select(o => o.ExternalId).ToListAsync());
        var snapshots = await QueryAsync(db => db.LastShopifyOrders.Where(s => s.WorkspaceId == workspaceId).Select(s => s.ShopifyOrderId).ToListAsync());
        Assert.That(contacts, Is.EqualTo(new[] { "stays@example.com" }));
        Assert.That(orders, Is.EqualTo(new[] { otherOrderId.ToString() }));
        Assert.That(snapshots, Is.EqualTo(new[] { otherOrderId }));

        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        Assert.That(runs, Has.Count.EqualTo(2), "the runs stay, counted");
        var redactedRun = runs!.Single(r => r.TriggerEventId == eventId);
        var detail = await client.GetFromJsonAsync<RunDetail>($"/api/automations/{automation.Id}/runs/{redactedRun.Id}");
        Assert.That(detail!.Steps.Single().Output, Is.Null, "the rendered message is gone");
        var kept = await client.GetFromJsonAsync<RunDetail>($"/api/automations/{automation.Id}/runs/{runs!.Single(r => r.TriggerEventId == otherEvent).Id}");
        Assert.That(kept!.Steps.Single().Output, Is.EqualTo("Hola Luis, tu orden #1001"));
    }

    [Test]
    public async Task A_customer_redaction_erases_the_customers_messages_from_the_engines_outbox()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var (orderId, eventId, otherEvent) = (NewOrderId(), Guid.NewGuid(), Guid.NewGuid());
        var ana = new ShopifyCustomer(4244, "olvidame@example.com", "Ana", "Pérez", "+573004445577");
        var luis = new ShopifyCustomer(4345, "sigo@example.com", "Luis", "Gil", "+573007778800");
        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, Order(orderId, phone: ana.Phone, email: ana.Email!) with { Customer = ana }));
        await Bus.Publish(new ShopifyOrderCreated(otherEvent, workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId(), phone: luis.Phone, email: luis.Email!) with { Customer = luis }));
        await WaitHandledAsync(eventId);
        await WaitHandledAsync(otherEvent);
        await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 2, because: "both SMS requested");
        Assert.That(await OutboxRowsNamingAsync("+573004445577"), Is.GreaterThan(0), "before: the requested SMS is kept");

        await Bus.Publish(new ShopifyCustomerRedactRequested(Guid.NewGuid(), workspaceId, "tienda.myshopify.com",
            new ShopifyCustomerRef(4244, "OLVIDAME@example.com", null), [orderId], DateTimeOffset.UtcNow));

        await Eventually.Get(() => OutboxRowsNamingAsync("+573004445577", "olvidame@example.com"), n => n == 0,
            because: "the customer's rows erased (the redaction's own announcement to sms-sender and usage-api aside)");
        Assert.That(await OutboxRowsNamingAsync("+573007778800"), Is.GreaterThan(0), "another customer's stay");
    }

    [Test]
    public async Task A_customer_redaction_erases_what_automation_steps_made_and_the_runs_of_the_crm_events_the_order_caused()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Seguimiento", trigger = TriggerNames.ShopifyOrderCreated,
            actions = new object[]
            {
                new { type = "create_task", config = new Dictionary<string, object> { ["title"] = "Llamar a {{cliente.nombre}}", ["contactId"] = "{{contacto.id}}" } },
                new { type = "create_order", config = new Dictionary<string, object> { ["total"] = "{{orden.total}}", ["number"] = "R-{{cliente.nombre}}" } },
                new { type = "create_contact", config = new Dictionary<string, object> { ["name"] = "{{cliente.nombre}} referida", ["email"] = "ref-{{cliente.email}}" } },
            },
        });
        // Runs on the CRM events the order fans out to (the synced contact, the step's contact): not Shopify triggers.
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Bienvenida", trigger = TriggerNames.CrmContactCreated, actions = new[] { SmsAction("Bienvenido {{contacto.nombre}}", "{{contacto.telefono}}") },
        });
        var (orderId, eventId, otherEvent) = (NewOrderId(), Guid.NewGuid(), Guid.NewGuid());
        var ana = new ShopifyCustomer(4246, "ana-crm@example.com", "Ana", "Pérez", "+573004445588");
        var luis = new ShopifyCustomer(4347, "luis-crm@example.com", "Luis", "Gil", "+573007778811");
        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, Order(orderId, phone: ana.Phone, email: ana.Email!) with { Customer = ana }));
        await Bus.Publish(new ShopifyOrderCreated(otherEvent, workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId(), phone: luis.Phone, email: luis.Email!) with { Customer = luis }));
        await WaitHandledAsync(eventId);
        await WaitHandledAsync(otherEvent);
        // A CRM event from before events carried their Shopify order: found by its root event, the order's.
        var legacy = new CrmContactCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, new CrmContact(Guid.NewGuid(), "Ana legado", null, "+573004445589", []), 1, eventId);
        await Bus.Publish(legacy);
        await WaitHandledAsync(legacy.EventId);
        var welcome = (await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 3, because: "the welcome SMS of both synced contacts and the legacy event"))
            .Where(s => s.Body.Contains("Ana")).Select(s => s.RequestId).Order().ToList();
        Assert.That(await QueryAsync(db => db.Tasks.CountAsync(t => t.WorkspaceId == workspaceId)), Is.EqualTo(2), "before: a task per customer");

        await Bus.Publish(new ShopifyCustomerRedactRequested(Guid.NewGuid(), workspaceId, "tienda.myshopify.com",
            new ShopifyCustomerRef(4246, ana.Email, null), [orderId], DateTimeOffset.UtcNow));

        var erased = await Eventually.Get(() => Task.FromResult(Published.OfType<SmsRecipientsRedacted>().Where(r => r.WorkspaceId == workspaceId).ToList()),
            l => l.Count >= 1, because: "SmsRecipientsRedacted");
        Assert.That(erased.SelectMany(r => r.RequestIds).Order(), Is.EqualTo(welcome), "the welcome SMS of the CRM events named for sms-sender");
        Assert.That(await QueryAsync(db => db.Tasks.Where(t => t.WorkspaceId == workspaceId).Select(t => t.Title).ToListAsync()), Is.EqualTo(new[] { "Llamar a Luis" }));
        Assert.That(await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId && o.Source == "automation").Select(o => o.Number).ToListAsync()),
            Is.EqualTo(new[] { "R-Luis" }));
        Assert.That(await QueryAsync(db => db.Contacts.Where(c => c.WorkspaceId == workspaceId).Select(c => c.Name).OrderBy(n => n).ToListAsync()),
            Is.EqualTo(new[] { "Luis Gil", "Luis referida" }));
        var outputs = await QueryAsync(db => db.Runs.Where(r => r.WorkspaceId == workspaceId).SelectMany(r => r.Steps)
            .Where(s => s.Output != null).Select(s => s.Output!).ToListAsync());
        Assert.That(outputs, Has.None.Contains("Ana"), "no run keeps what was rendered for her, the CRM events' runs included");
        Assert.That(outputs, Has.Some.EqualTo("Bienvenido Luis Gil"));
    }

    [Test]
    public async Task An_order_event_from_before_a_customer_redaction_still_queued_does_not_bring_the_customer_back()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId, new { name = "Cambio", trigger = TriggerNames.ShopifyOrderUpdated, actions = new[] { SmsAction(Body) } });
        var orderId = NewOrderId();
        var ana = new ShopifyCustomer(4248, "vuelve@example.com", "Ana", "Pérez", "+573004445590");
        var order = Order(orderId, phone: ana.Phone, email: ana.Email!) with { Customer = ana };
        var placed = DateTimeOffset.UtcNow;
        var created = Guid.NewGuid();
        await Bus.Publish(new ShopifyOrderCreated(created, workspaceId, placed, order));
        await WaitHandledAsync(created);
        await Bus.Publish(new ShopifyCustomerRedactRequested(Guid.NewGuid(), workspaceId, "tienda.myshopify.com",
            new ShopifyCustomerRef(4248, ana.Email, ana.Phone), [orderId], DateTimeOffset.UtcNow));
        await Eventually.Get(() => QueryAsync(db => db.Contacts.AnyAsync(c => c.WorkspaceId == workspaceId)), any => !any, because: "the customer erased");

        // An update Shopify sent before the redaction, delivered after it (a queue that was behind, a retry).
        var late = Guid.NewGuid();
        await Bus.Publish(new ShopifyOrderUpdated(late, workspaceId, placed.AddMilliseconds(1), order with { FinancialStatus = "refunded", UpdatedAt = placed.AddMilliseconds(1) }));
        await WaitHandledAsync(late);

        Assert.That(await QueryAsync(db => db.Contacts.AnyAsync(c => c.WorkspaceId == workspaceId)), Is.False, "no contact re-created");
        Assert.That(await QueryAsync(db => db.Orders.AnyAsync(o => o.WorkspaceId == workspaceId)), Is.False, "no order re-created");
        Assert.That(await QueryAsync(db => db.LastShopifyOrders.AnyAsync(o => o.WorkspaceId == workspaceId)), Is.False, "no order copy re-created");
        Assert.That(await QueryAsync(db => db.Runs.AnyAsync(r => r.TriggerEventId == late)), Is.False, "no run");
        Assert.That(SmsFor(workspaceId), Is.Empty, "no SMS requested");

        // The customer orders again after the redaction: that is new, and handled as any order.
        var again = Guid.NewGuid();
        await Bus.Publish(new ShopifyOrderCreated(again, workspaceId, DateTimeOffset.UtcNow.AddSeconds(5), Order(NewOrderId(), phone: ana.Phone, email: ana.Email!) with { Customer = ana }));
        await WaitHandledAsync(again);
        Assert.That(await QueryAsync(db => db.Contacts.CountAsync(c => c.WorkspaceId == workspaceId)), Is.EqualTo(1), "a new order makes a new contact");
    }

    /// <summary>The engine's outbox rows whose text names any of <paramref name="data"/>, without case, but for the announcement that carries a redaction.</summary>
    static Task<int> OutboxRowsNamingAsync(params string[] data)
    {
        string[] patterns = [.. data.Select(d => "%" + d.ToLowerInvariant() + "%")];
        return QueryAsync(db => db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM outbox_messages
            WHERE message_type <> {nameof(SmsRecipientsRedacted)} AND lower(body::text) LIKE ANY ({patterns})
            """).SingleAsync());
    }

    [Test]
    public async Task A_shop_redaction_erases_every_shopify_derived_record_of_the_shop_and_names_all_its_sms()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var events = new[] { ("+573001010101", "uno@example.com"), ("+573002020202", "dos@example.com") }.Select(c => (Id: Guid.NewGuid(), c.Item1, c.Item2)).ToList();
        foreach (var (id, phone, email) in events)
            await Bus.Publish(new ShopifyOrderCreated(id, workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId(), phone: phone, email: email)));
        foreach (var e in events) await WaitHandledAsync(e.Id);
        var requests = (await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 2, because: "both SMS requested"))
            .Select(s => s.RequestId).Order().ToList();

        await Bus.Publish(new ShopifyShopRedactRequested(Guid.NewGuid(), workspaceId, "tienda.myshopify.com", DateTimeOffset.UtcNow));

        var erased = await Eventually.Get(() => Task.FromResult(Published.OfType<SmsRecipientsRedacted>().Where(r => r.WorkspaceId == workspaceId).ToList()),
            l => l.Count >= 1, because: "SmsRecipientsRedacted");
        Assert.That(erased.SelectMany(r => r.RequestIds).Order(), Is.EqualTo(requests));
        Assert.That(erased.SelectMany(r => r.Phones), Is.SupersetOf(new[] { "+573001010101", "+573002020202" }));
        Assert.That(await QueryAsync(db => db.Contacts.AnyAsync(c => c.WorkspaceId == workspaceId)), Is.False);
        Assert.That(await QueryAsync(db => db.Orders.AnyAsync(o => o.WorkspaceId == workspaceId)), Is.False);
        Assert.That(await QueryAsync(db => db.LastShopifyOrders.AnyAsync(o => o.WorkspaceId == workspaceId)), Is.False);
        var outputs = await QueryAsync(db => db.Runs.Where(r => r.WorkspaceId == workspaceId).SelectMany(r => r.Steps).Select(s => s.Output).ToListAsync());
        Assert.That(outputs, Has.Count.EqualTo(2).And.All.Null, "runs counted, their messages gone");
    }

    [Test]
    public async Task A_customer_data_request_reports_what_the_engine_holds_and_asks_sms_sender_for_the_messages()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var orderId = NewOrderId();
        var eventId = Guid.NewGuid();
        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow,
            Order(orderId, phone: "+573001231234", email: "asks@example.com") with { Customer = new ShopifyCustomer(5151, "asks@example.com", "Ana", "Pérez", "+573001231234") }));
        await WaitHandledAsync(eventId);
        var requestId = (await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 1, because: "SMS requested")).Single().RequestId;

        var dataRequest = Guid.NewGuid();
        await Bus.Publish(new ShopifyCustomerDataRequested(dataRequest, workspaceId, "tienda.myshopify.com", 9999,
            new ShopifyCustomerRef(5151, "asks@example.com", "+573001231234"), [orderId], DateTimeOffset.UtcNow));

        var report = await Eventually.Get(() => Task.FromResult(Published.OfType<CustomerDataReported>().Where(r => r.RequestId == dataRequest).ToList()),
            l => l.Count >= 1, because: "the engine's report");
        Assert.That(report.Single().Service, Is.EqualTo("automation-engine"));
        Assert.That(report.Single().DataJson, Does.Contain("asks@example.com").And.Contain("Hola Ana, tu orden #1001").And.Contain(orderId.ToString()));
        var sms = await Eventually.Get(() => Task.FromResult(Published.OfType<CustomerSmsDataRequested>().Where(r => r.RequestId == dataRequest).ToList()),
            l => l.Count >= 1, because: "sms-sender asked");
        Assert.That(sms.Single().RequestIds, Is.EqualTo(new[] { requestId }));
        Assert.That(await QueryAsync(db => db.Contacts.AnyAsync(c => c.WorkspaceId == workspaceId)), Is.True, "a data request erases nothing");
    }
}
