using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

public class ShopifyExecutionTests
{
    const string Body = "Hola {{cliente.nombre}}, recibimos tu orden {{orden.numero}} por {{orden.total}}";

    [Test]
    public async Task Shopify_order_with_auto_sync_on_creates_one_contact_one_order_and_one_rendered_sms()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var eventId = Guid.NewGuid();
        var orderId = NewOrderId();

        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, Order(orderId)));

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SmsRequested published");
        Assert.That(sms, Has.Count.EqualTo(1));
        Assert.That(sms[0].Body, Is.EqualTo("Hola Ana, recibimos tu orden #1001 por 59.90"));
        Assert.That(sms[0].To, Is.EqualTo("+573001112233"));
        Assert.That(sms[0].Origin, Is.EqualTo(new SmsOrigin(SmsOrigin.Automation, automation.Id, sms[0].Origin.RunId, eventId)));
        Assert.That(sms[0].RequestId, Is.EqualTo(DeterministicGuid.Create(eventId, $"{automation.Id}:0")));
        // Published right after the commit, so the outbox dispatcher has nothing left to send again.
        await Eventually.Get(() => QueryAsync(db => db.OutboxMessages.Where(m => m.Id == sms[0].RequestId).Select(m => m.SentAt).SingleAsync()),
            sentAt => sentAt is not null, because: "outbox row marked sent");

        var contacts = await QueryAsync(db => db.Contacts.Where(c => c.WorkspaceId == workspaceId).ToListAsync());
        var orders = await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId).ToListAsync());
        Assert.That(contacts.Select(c => (c.Name, c.Phone, c.Email)), Is.EqualTo(new[] { ("Ana Pérez", "+573001112233", "ana@example.com") }));
        Assert.That(orders, Has.Count.EqualTo(1));
        Assert.That((orders[0].ExternalId, orders[0].Number, orders[0].Total, orders[0].ContactId),
            Is.EqualTo((orderId.ToString(), "#1001", 59.90m, (Guid?)contacts[0].Id)));

        // The run is visible with its step's rendered text.
        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        Assert.That(runs!.Select(r => (r.TriggerEventId, r.Status)), Is.EqualTo(new[] { (eventId, "succeeded") }));
        var run = await client.GetFromJsonAsync<RunDetail>($"/api/automations/{automation.Id}/runs/{runs![0].Id}");
        Assert.That(run!.Steps.Select(s => (s.Action, s.Status, s.Output)),
            Is.EqualTo(new[] { ("send_sms", "succeeded", (string?)"Hola Ana, recibimos tu orden #1001 por 59.90") }));
    }

    [Test]
    public async Task Shopify_order_with_auto_sync_off_only_requests_the_sms()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: false);
        await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var eventId = Guid.NewGuid();

        await Bus.Publish(new ShopifyOrderCreated(eventId, workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId())));

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SmsRequested published");
        Assert.That(sms.Single().Body, Is.EqualTo("Hola Ana, recibimos tu orden #1001 por 59.90"));
        Assert.That(await QueryAsync(db => db.Contacts.CountAsync(c => c.WorkspaceId == workspaceId)), Is.Zero);
        Assert.That(await QueryAsync(db => db.Orders.CountAsync(o => o.WorkspaceId == workspaceId)), Is.Zero);
    }

    [Test]
    public async Task The_same_event_delivered_twice_does_nothing_more()
    {
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        var first = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()));

        await Bus.Publish(first);
        await Bus.Publish(first);
        await WaitHandledAsync(first.EventId);
        // A later event for the same workspace: once its SMS is out, the duplicate has had its chance too.
        var marker = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()));
        await Bus.Publish(marker);
        await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Any(s => s.Origin.TriggerEventId == marker.EventId), because: "marker SMS");
        await Task.Delay(500);

        Assert.That(SmsFor(workspaceId).Count(s => s.Origin.TriggerEventId == first.EventId), Is.EqualTo(1));
        Assert.That(await QueryAsync(db => db.Runs.CountAsync(r => r.TriggerEventId == first.EventId)), Is.EqualTo(1));
        Assert.That(await QueryAsync(db => db.Contacts.CountAsync(c => c.WorkspaceId == workspaceId)), Is.EqualTo(1));
        Assert.That(await QueryAsync(db => db.Orders.CountAsync(o => o.WorkspaceId == workspaceId)), Is.EqualTo(2));
    }

    [Test]
    public async Task A_condition_that_does_not_hold_runs_nothing()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Órdenes grandes", trigger = TriggerNames.ShopifyOrderCreated,
            conditions = new[] { new { field = "orden.total", @operator = "greater_than", value = "1000" } },
            actions = new[] { SmsAction(Body) },
        });
        var small = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId(), total: 59.90m));

        await Bus.Publish(small);
        await WaitHandledAsync(small.EventId);

        Assert.That(await QueryAsync(db => db.Runs.CountAsync(r => r.AutomationId == automation.Id)), Is.Zero);
        var large = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId(), total: 2500m));
        await Bus.Publish(large);
        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SMS for the large order");
        Assert.That(sms.Select(s => s.Origin.TriggerEventId), Is.EqualTo(new[] { large.EventId }));
    }

    [Test]
    public async Task Payment_status_changed_to_paid_runs_once_when_it_changes()
    {
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Pago recibido", trigger = TriggerNames.ShopifyOrderUpdated,
            conditions = new[] { new { field = "orden.estado_pago", @operator = "changed_to", value = "paid" } },
            actions = new[] { SmsAction("Recibimos el pago de tu orden {{orden.numero}}") },
        });
        var orderId = NewOrderId();
        var t0 = DateTimeOffset.UtcNow;
        var created = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, t0, Order(orderId, "pending", updatedAt: t0));
        var stillPending = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0.AddMinutes(1), Order(orderId, "pending", updatedAt: t0.AddMinutes(1)));
        var paid = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0.AddMinutes(2), Order(orderId, "paid", updatedAt: t0.AddMinutes(2)));
        var paidAgain = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0.AddMinutes(3), Order(orderId, "paid", updatedAt: t0.AddMinutes(3)));

        foreach (var e in new ITriggerEvent[] { created, stillPending, paid, paidAgain })
        {
            await Bus.Publish((object)e);
            await WaitHandledAsync(e.EventId);
        }

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SMS for the payment");
        await Task.Delay(300);
        Assert.That(SmsFor(workspaceId).Select(s => (s.Origin.TriggerEventId, s.Body)),
            Is.EqualTo(new[] { (paid.EventId, "Recibimos el pago de tu orden #1001") }));
        Assert.That(await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId).Select(o => o.PaymentStatus).ToListAsync()),
            Is.EqualTo(new[] { "paid" }));
    }

    [Test]
    public async Task An_older_state_retried_while_a_newer_one_is_being_saved_neither_rolls_back_nor_fires_again()
    {
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Reembolso", trigger = TriggerNames.ShopifyOrderUpdated,
            conditions = new[] { new { field = "orden.estado_pago", @operator = "changed_to", value = "refunded" } },
            actions = new[] { SmsAction("Reembolsamos tu orden {{orden.numero}}") },
        });
        var orderId = NewOrderId();
        var t0 = DateTimeOffset.UtcNow;
        var pending = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0, Order(orderId, "pending", updatedAt: t0));
        await Bus.Publish(pending);
        await WaitHandledAsync(pending.EventId);
        var refunded = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0.AddMinutes(1), Order(orderId, "refunded", updatedAt: t0.AddMinutes(1)));
        // Shopify retries the older state late: its original payload, a newer X-Shopify-Triggered-At.
        var retried = pending with { EventId = Guid.NewGuid(), OccurredAt = t0.AddMinutes(2) };

        // The two arrive in two batches at once (two consumers). The CRM order's row is held by this test, so the newer
        // batch is certain to be mid-transaction when the older one starts.
        using (var scope = Engine.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EngineDbContext>();
            await using var hold = await db.Database.BeginTransactionAsync();
            var external = orderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM orders WHERE workspace_id = {workspaceId} AND external_id = {external} FOR UPDATE");
            var newer = HandleUpdatesAsync(refunded);
            await Eventually.Get(WaitingOnLocksAsync, n => n >= 1, because: "the newer batch waiting for the CRM order");
            var older = HandleUpdatesAsync(retried);
            await Eventually.Get(WaitingOnLocksAsync, n => n >= 2, because: "the older batch waiting too");
            await hold.CommitAsync();
            await Task.WhenAll(newer, older);
        }
        // A later edit of the refunded order (a note, a tag): still refunded, so no "changed to" fires.
        await HandleUpdatesAsync(new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0.AddMinutes(3), Order(orderId, "refunded", updatedAt: t0.AddMinutes(3))));

        Assert.That(await QueryAsync(db => db.Orders.Where(o => o.WorkspaceId == workspaceId).Select(o => o.PaymentStatus).ToListAsync()),
            Is.EqualTo(new[] { "refunded" }), "the CRM keeps the newest state");
        await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "the refund's SMS");
        await Task.Delay(300);
        Assert.That(SmsFor(workspaceId).Select(s => s.Origin.TriggerEventId), Is.EqualTo(new[] { refunded.EventId }), "one SMS for one refund");
    }

    static async Task HandleUpdatesAsync(params ShopifyOrderUpdated[] batch)
    {
        using var scope = Engine.Services.CreateScope();
        var processor = scope.ServiceProvider.GetRequiredService<TriggerProcessor>();
        await processor.HandleShopifyAsync([.. batch.Select(e => new ShopifyTrigger(e, e.Order))], TriggerNames.ShopifyOrderUpdated, default);
    }

    static Task<int> WaitingOnLocksAsync() => QueryAsync(db => db.Database.SqlQuery<int>(
        $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync());

    /// <summary>A Shopify payload of tests/fixtures/shopify as webhook-ingest maps it, placed after the shop was connected.</summary>
    static ShopifyOrder Published(string file)
    {
        var fixture = ShopifyFixture.Load(Path.Combine(ShopifyFixture.Folder, file)).PlacedAfterConnection();
        using var document = System.Text.Json.JsonDocument.Parse(fixture.PayloadText);
        return MorfX.ShopifyOrders.ShopifyOrderMapper.Map(document.RootElement, false, "tienda.myshopify.com", fixture.ShopCountry, fixture.PayloadText);
    }

    /// <summary>Publishes the updates one after the other and returns the SMS requested, once they have all arrived.</summary>
    static async Task<List<(Guid?, string)>> SmsAfterAsync(Guid workspaceId, params ShopifyOrderUpdated[] updates)
    {
        foreach (var e in updates)
        {
            await Bus.Publish(e);
            await WaitHandledAsync(e.EventId);
        }
        await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "an SMS");
        await Task.Delay(300);
        return [.. SmsFor(workspaceId).Select(s => (s.Origin.TriggerEventId, s.Body))];
    }

    [Test]
    public async Task Shipment_status_changed_to_fulfilled_texts_the_tracking_number_of_shopifys_fulfillment()
    {
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Pedido enviado", trigger = TriggerNames.ShopifyOrderUpdated,
            conditions = new[] { new { field = "orden.estado_envio", @operator = "changed_to", value = "fulfilled" } },
            actions = new[] { SmsAction("Tu pedido va en camino, guía {{envio.guia}} ({{envio.transportadora}})") },
        });
        var t0 = DateTimeOffset.UtcNow;
        // Shopify's REST order example (its one fulfillment failed: nothing shipped), then the same order once a fulfillment succeeded.
        var notShipped = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0, Published("vendor/orders-updated.shopify-api-ruby-rest.json"));
        var fulfilled = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, t0.AddSeconds(1), Published("variants/orders-updated.fulfilled-with-tracking.json"));

        Assert.That(await SmsAfterAsync(workspaceId, notShipped, fulfilled),
            Is.EqualTo(new (Guid?, string)[] { (fulfilled.EventId, "Tu pedido va en camino, guía 1Z001985YW99744790 (UPS)") }));
    }

    [Test]
    public async Task A_cancelled_order_exposes_that_it_was_cancelled_and_why()
    {
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Orden cancelada", trigger = TriggerNames.ShopifyOrderUpdated,
            conditions = new[] { new { field = "orden.cancelada", @operator = "equals", value = "si" } },
            actions = new[] { SmsAction("Tu orden {{orden.numero}} fue cancelada (motivo: {{orden.motivo_cancelacion}})") },
        });
        var open = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Published("vendor/orders-updated.shopify-api-ruby-rest.json"));
        var cancelled = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Published("vendor/orders-updated.shopify-dev.json"));

        Assert.That(await SmsAfterAsync(workspaceId, open, cancelled),
            Is.EqualTo(new (Guid?, string)[] { (cancelled.EventId, "Tu orden #9999 fue cancelada (motivo: customer)") }));
    }

    [Test]
    public async Task Draft_order_runs_its_automations_without_creating_a_crm_order()
    {
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Borrador", trigger = TriggerNames.ShopifyDraftOrderCreated,
            actions = new[] { SmsAction("Tu cotización {{orden.numero}}: {{#each orden.productos}}{{cantidad}} x {{nombre}}; {{/each}}") },
        });
        var draft = new ShopifyDraftOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()) with { Name = "#D3" });

        await Bus.Publish(draft);

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "SMS for the draft");
        Assert.That(sms.Single().Body, Is.EqualTo("Tu cotización #D3: 2 x Camiseta; 1 x Gorra;"));
        Assert.That(await QueryAsync(db => db.Orders.CountAsync(o => o.WorkspaceId == workspaceId)), Is.Zero);
    }

    [Test]
    public async Task Send_sms_without_twilio_active_fails_the_step_and_publishes_nothing()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction(Body) } });
        await SetIntegrationAsync(workspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Removed);
        var e = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()));

        await Bus.Publish(e);
        await WaitHandledAsync(e.EventId);

        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        var run = await client.GetFromJsonAsync<RunDetail>($"/api/automations/{automation.Id}/runs/{runs!.Single().Id}");
        Assert.That(run!.Status, Is.EqualTo("failed"));
        Assert.That(run.Steps.Single().ErrorCode, Is.EqualTo("twilio_not_configured"));
        Assert.That(run.Steps.Single().Error, Does.Contain("Twilio no está configurado"));
        Assert.That(SmsFor(workspaceId), Is.Empty);
    }

    [Test]
    public async Task A_rendered_body_over_twilios_limit_is_not_sent_and_the_run_says_why()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Notas", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Nota: {{orden.notas}}") } });
        var e = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()) with { Note = new string('n', 2000) });

        await Bus.Publish(e);
        await WaitHandledAsync(e.EventId);

        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs");
        Assert.That(runs!.Select(r => (r.Status, r.ErrorCode)), Is.EqualTo(new[] { ("failed", (string?)"body_too_long") }));
        Assert.That(SmsFor(workspaceId), Is.Empty);
    }

    [Test]
    public async Task Crm_actions_chain_through_their_own_triggers_until_the_loop_guard_stops_them()
    {
        var workspaceId = await NewWorkspaceAsync();
        // Every new contact creates another contact: without the guard this never ends.
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Eco", trigger = TriggerNames.CrmContactCreated,
            actions = new[] { new { type = "create_contact", config = new Dictionary<string, object> { ["name"] = "Copia de {{contacto.nombre}}" } } },
        });
        await Bus.Publish(new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId())));

        // The synced contact (depth 1) and copies made at depths 1, 2 and 3; the copy at depth 4 starts nothing.
        var names = await Eventually.Get(() => QueryAsync(db => db.Contacts.Where(c => c.WorkspaceId == workspaceId).Select(c => c.Name).ToListAsync()),
            l => l.Count >= 4, because: "chained contacts");
        await Task.Delay(1000);
        Assert.That(await QueryAsync(db => db.Contacts.CountAsync(c => c.WorkspaceId == workspaceId)), Is.EqualTo(4));
        Assert.That(names, Does.Contain("Copia de Copia de Copia de Ana Pérez"));
    }
}
