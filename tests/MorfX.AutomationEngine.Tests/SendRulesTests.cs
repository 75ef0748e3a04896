using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MorfX.AutomationEngine.Apis;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.Rules;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// Issue 31 on the real engine: send windows hold an SMS (never drop it), waits hold a run and check the order again, a
/// marketing SMS needs consent, and disabling an automation stops what it has waiting. A wait is made due by moving its
/// resume_at into the past; the engine's own RunResumer then goes on with it.
/// </summary>
public class SendRulesTests
{
    const string Phone = "+573001112233";
    static readonly TimeZoneInfo Bogota = TimeZoneInfo.FindSystemTimeZoneById("America/Bogota");
    static readonly string[] EveryDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>A window that opens two hours from now in Bogotá (the +57 recipient's clock), and that opening.</summary>
    static (SendWindow Window, DateTimeOffset Opening) ClosedNow()
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Bogota);
        var start = local.AddHours(2);
        var opening = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, start.Offset);
        return (new SendWindow(start.ToString("HH:mm"), start.AddHours(1).ToString("HH:mm"), EveryDay), opening);
    }

    static SendWindow OpenNow()
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Bogota);
        return new SendWindow(local.AddHours(-1).ToString("HH:mm"), local.AddHours(2).ToString("HH:mm"), EveryDay);
    }

    static object Wait(int minutes) => new { type = "wait", config = new Dictionary<string, object> { ["minutes"] = minutes } };

    static async Task<ShopifyOrderCreated> OrderAsync(Guid workspaceId, ShopifyOrder? order = null)
    {
        var created = new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, order ?? Order(NewOrderId()));
        await Bus.Publish(created);
        await WaitHandledAsync(created.EventId);
        return created;
    }

    static async Task<RunDetail> RunOfAsync(Guid workspaceId, Guid automationId, Guid eventId)
    {
        using var client = Client(workspaceId);
        var runs = await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automationId}/runs");
        var run = runs!.Single(r => r.TriggerEventId == eventId);
        return (await client.GetFromJsonAsync<RunDetail>($"/api/automations/{automationId}/runs/{run.Id}"))!;
    }

    static async Task MakeDueAsync(Guid runId)
    {
        await QueryAsync(db => db.Database.ExecuteSqlAsync($"UPDATE run_waits SET resume_at = now() - interval '1 second' WHERE run_id = {runId}"));
        using var scope = Engine.Services.CreateScope();
        await scope.ServiceProvider.GetServices<IHostedService>().OfType<RunResumer>().Single().ResumeDueAsync(CancellationToken.None);
    }

    static Task<RunDetail> RunEndsAsync(Guid workspaceId, Guid automationId, Guid eventId) =>
        Eventually.Get(() => RunOfAsync(workspaceId, automationId, eventId), r => r.Status != RunStatuses.Waiting, because: "the run went on");

    [Test]
    public async Task An_sms_outside_its_send_window_waits_for_the_opening_and_then_leaves_once()
    {
        var workspaceId = await NewWorkspaceAsync();
        var (window, opening) = ClosedNow();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Confirmación en horario", trigger = TriggerNames.ShopifyOrderCreated, sendWindow = window,
            actions = new[] { SmsAction("Hola {{cliente.nombre}}, recibimos tu orden") },
        });
        Assert.That(automation.SendWindow, Is.EqualTo(window).Using<SendWindow>((a, b) => a.Start == b.Start && a.End == b.End && a.Days.SequenceEqual(b.Days)));

        var order = await OrderAsync(workspaceId);

        var held = await RunOfAsync(workspaceId, automation.Id, order.EventId);
        Assert.That(held.Status, Is.EqualTo("waiting"), System.Text.Json.JsonSerializer.Serialize(held));
        Assert.That(held.Steps.Single().Status, Is.EqualTo("waiting"));
        Assert.That(held.Steps.Single().ResumeAt, Is.EqualTo(opening), "held until the window opens in the recipient's time (Colombia)");
        using (var client = Client(workspaceId))
            Assert.That((await client.GetFromJsonAsync<List<RunSummary>>($"/api/automations/{automation.Id}/runs"))!.Single().ResumeAt, Is.EqualTo(opening));
        Assert.That(SmsFor(workspaceId), Is.Empty, "nothing leaves while the window is closed");

        await MakeDueAsync(held.Id);
        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "the window opened");
        var done = await RunEndsAsync(workspaceId, automation.Id, order.EventId);
        Assert.That(done.Status, Is.EqualTo("succeeded"));
        Assert.That(done.Steps.Single().Status, Is.EqualTo("succeeded"));
        Assert.That(sms.Single().DueAt, Is.Not.Null, "the request says when it was due, for sms-sender's expiry");

        // Another resumer pass (a second replica, a restart) finds nothing to send again.
        using var scope = Engine.Services.CreateScope();
        Assert.That(await scope.ServiceProvider.GetServices<IHostedService>().OfType<RunResumer>().Single().ResumeDueAsync(CancellationToken.None), Is.Zero);
        Assert.That(SmsFor(workspaceId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_marketing_sms_goes_only_to_recipients_who_consented()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Promo", trigger = TriggerNames.ShopifyOrderCreated, purpose = "marketing", sendWindow = OpenNow(),
            actions = new[] { SmsAction("20% en tu próxima compra") },
        });
        Assert.That(automation.Purpose, Is.EqualTo("marketing"));

        var unknown = await OrderAsync(workspaceId);
        var skipped = await RunOfAsync(workspaceId, automation.Id, unknown.EventId);
        Assert.That(skipped.Steps.Single().Status, Is.EqualTo("skipped"));
        Assert.That(skipped.Steps.Single().ErrorCode, Is.EqualTo("no_marketing_consent"));

        // Shopify's own consent on the customer's phone.
        var consenting = Order(NewOrderId(), phone: "+573004445566");
        consenting = consenting with { Customer = consenting.Customer! with { SmsMarketingState = "subscribed", SmsMarketingUpdatedAt = DateTimeOffset.UtcNow.AddDays(-3) } };
        await OrderAsync(workspaceId, consenting);
        // An inbound ALTA from the first customer.
        await Bus.Publish(new SmsConsentChanged(workspaceId, Phone, true, "inbound_message", DateTimeOffset.UtcNow));
        await Eventually.Get(() => QueryAsync(db => db.SmsConsents.AnyAsync(c => c.WorkspaceId == workspaceId && c.Phone == Phone && c.Subscribed)), ok => ok,
            because: "the ALTA is recorded");
        await OrderAsync(workspaceId);

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count >= 2, because: "both consented recipients get it");
        Assert.That(sms.Select(s => s.To).Order(), Is.EqualTo(new[] { Phone, "+573004445566" }));

        // A later SALIR withdraws it; an older Shopify payload saying not subscribed does not bring it back either way.
        await Bus.Publish(new SmsConsentChanged(workspaceId, "+573004445566", false, "inbound_message", DateTimeOffset.UtcNow));
        await Eventually.Get(() => QueryAsync(db => db.SmsConsents.AnyAsync(c => c.Phone == "+573004445566" && c.WorkspaceId == workspaceId && !c.Subscribed)), ok => ok,
            because: "the SALIR is recorded");
        var withdrawn = await OrderAsync(workspaceId, consenting with { Id = NewOrderId() });
        Assert.That((await RunOfAsync(workspaceId, automation.Id, withdrawn.EventId)).Steps.Single().ErrorCode, Is.EqualTo("no_marketing_consent"));
        Assert.That(SmsFor(workspaceId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task After_a_wait_the_conditions_are_checked_again_on_the_latest_state_of_the_order()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Reseña", trigger = TriggerNames.ShopifyOrderCreated,
            conditions = new[] { new { field = "orden.estado_pago", @operator = "equals", value = "paid" } },
            actions = new[] { Wait(120), SmsAction("¿Cómo te fue con tu orden {{orden.numero}}?") },
        });

        var kept = await OrderAsync(workspaceId);
        var refunded = Order(NewOrderId());
        var changed = await OrderAsync(workspaceId, refunded);
        var toCancel = Order(NewOrderId());
        var cancelled = await OrderAsync(workspaceId, toCancel);
        var waiting = await RunOfAsync(workspaceId, automation.Id, kept.EventId);
        Assert.That(waiting.Status, Is.EqualTo("waiting"));
        Assert.That(waiting.Steps.Select(s => (s.Action, s.Status)), Is.EqualTo(new[] { ("wait", "waiting") }));
        Assert.That(waiting.Steps[0].ResumeAt, Is.EqualTo(DateTimeOffset.UtcNow.AddMinutes(120)).Within(TimeSpan.FromMinutes(1)));

        // The second order is refunded while its run waits.
        var update = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow,
            refunded with { FinancialStatus = "refunded", UpdatedAt = refunded.UpdatedAt!.Value.AddMinutes(5) });
        await Bus.Publish(update);
        await WaitHandledAsync(update.EventId);
        // The third is cancelled (still paid: only the cancellation stops it).
        var cancellation = new ShopifyOrderUpdated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow,
            toCancel with { CancelledAt = DateTimeOffset.UtcNow, CancelReason = "customer", UpdatedAt = toCancel.UpdatedAt!.Value.AddMinutes(5) });
        await Bus.Publish(cancellation);
        await WaitHandledAsync(cancellation.EventId);

        await MakeDueAsync(waiting.Id);
        await MakeDueAsync((await RunOfAsync(workspaceId, automation.Id, changed.EventId)).Id);
        await MakeDueAsync((await RunOfAsync(workspaceId, automation.Id, cancelled.EventId)).Id);
        var sent = await RunEndsAsync(workspaceId, automation.Id, kept.EventId);
        var stopped = await RunEndsAsync(workspaceId, automation.Id, changed.EventId);
        var dropped = await RunEndsAsync(workspaceId, automation.Id, cancelled.EventId);

        Assert.That(sent.Steps.Select(s => (s.Action, s.Status)), Is.EqualTo(new[] { ("wait", "succeeded"), ("send_sms", "succeeded") }));
        Assert.That(stopped.Status, Is.EqualTo("skipped"));
        Assert.That(stopped.Steps.Select(s => (s.Action, s.Status, s.ErrorCode)), Is.EqualTo(new[] { ("wait", "skipped", (string?)"conditions_no_longer_met") }));
        Assert.That(dropped.Status, Is.EqualTo("skipped"));
        Assert.That(dropped.Steps.Select(s => (s.Action, s.Status, s.ErrorCode)), Is.EqualTo(new[] { ("wait", "skipped", (string?)"order_cancelled") }));
        Assert.That(SmsFor(workspaceId).Single().Body, Is.EqualTo("¿Cómo te fue con tu orden #1001?"));
    }

    static async Task SetMessagingAsync(Guid workspaceId, SendWindow window, MarketingFrequencyCap? cap)
    {
        await Bus.Publish(new WorkspaceMessagingChanged(workspaceId, window, cap, DateTimeOffset.UtcNow));
        await Eventually.Get(() => QueryAsync(db => db.MessagingOfAsync(workspaceId, CancellationToken.None)), m => m.MarketingWindow.Start == window.Start,
            because: "the workspace's settings are kept");
    }

    static async Task ConsentAsync(Guid workspaceId, string phone)
    {
        await Bus.Publish(new SmsConsentChanged(workspaceId, phone, true, "inbound_message", DateTimeOffset.UtcNow));
        await Eventually.Get(() => QueryAsync(db => db.SmsConsents.AnyAsync(c => c.WorkspaceId == workspaceId && c.Phone == phone && c.Subscribed)), ok => ok,
            because: "the consent is recorded");
    }

    [Test]
    public async Task A_marketing_automation_without_a_window_keeps_to_the_workspace_marketing_window()
    {
        var workspaceId = await NewWorkspaceAsync();
        var (window, opening) = ClosedNow();
        await SetMessagingAsync(workspaceId, window, null);
        await ConsentAsync(workspaceId, Phone);
        var marketing = await CreateAutomationAsync(workspaceId, new
        {
            name = "Promo", trigger = TriggerNames.ShopifyOrderCreated, purpose = "marketing", actions = new[] { SmsAction("20% en tu próxima compra") },
        });
        var transactional = await CreateAutomationAsync(workspaceId, new
        {
            name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Recibimos tu orden") },
        });

        var order = await OrderAsync(workspaceId);

        var held = await RunOfAsync(workspaceId, marketing.Id, order.EventId);
        Assert.That((held.Status, held.Steps.Single().ResumeAt), Is.EqualTo(("waiting", (DateTimeOffset?)opening)));
        Assert.That((await RunOfAsync(workspaceId, transactional.Id, order.EventId)).Status, Is.EqualTo("succeeded"), "a transactional automation has no window by default");
        // The run's row commits with its outbox row; the SmsRequested is published a moment later.
        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)), l => l.Count > 0, because: "the transactional SMS is requested");
        Assert.That(sms.Select(s => s.Body), Is.EqualTo(new[] { "Recibimos tu orden" }), "the marketing SMS waits for its window");
    }

    [Test]
    public async Task The_workspace_frequency_cap_limits_marketing_sms_per_recipient()
    {
        var workspaceId = await NewWorkspaceAsync();
        await SetMessagingAsync(workspaceId, OpenNow(), new MarketingFrequencyCap(1, 7));
        await ConsentAsync(workspaceId, Phone);
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Promo", trigger = TriggerNames.ShopifyOrderCreated, purpose = "marketing", actions = new[] { SmsAction("20% en tu próxima compra") },
        });

        await OrderAsync(workspaceId);
        var second = await OrderAsync(workspaceId);

        var capped = await RunOfAsync(workspaceId, automation.Id, second.EventId);
        Assert.That(capped.Steps.Single().Status, Is.EqualTo("skipped"));
        Assert.That(capped.Steps.Single().ErrorCode, Is.EqualTo("frequency_capped"));
        Assert.That(SmsFor(workspaceId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Disabling_an_automation_stops_its_waiting_runs_and_tells_sms_sender_and_enabling_it_does_not_bring_them_back()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Reseña", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { Wait(60), SmsAction("¿Nos dejas una reseña?") },
        });
        var orders = new[] { await OrderAsync(workspaceId), await OrderAsync(workspaceId) };
        using var client = Client(workspaceId);

        (await client.PostAsync($"/api/automations/{automation.Id}/disable", null)).EnsureSuccessStatusCode();

        foreach (var order in orders)
        {
            var run = await RunOfAsync(workspaceId, automation.Id, order.EventId);
            Assert.That(run.Status, Is.EqualTo("skipped"));
            Assert.That(run.Steps.Single().ErrorCode, Is.EqualTo("automation_disabled"));
        }
        var stop = await Eventually.Get(() => Task.FromResult(Events.All<AutomationStopped>(s => s.AutomationId == automation.Id)), l => l.Count > 0,
            because: "sms-sender is told to stop what it has queued");
        Assert.That(stop.Single().StoppedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));

        (await client.PostAsync($"/api/automations/{automation.Id}/enable", null)).EnsureSuccessStatusCode();
        Assert.That(await QueryAsync(db => db.RunWaits.CountAsync(w => w.AutomationId == automation.Id)), Is.Zero, "nothing left to resurrect");
        Assert.That(SmsFor(workspaceId), Is.Empty);
    }

    [Test]
    public async Task Waits_are_capped_per_workspace()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Reseña", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { Wait(60), SmsAction("¿Nos dejas una reseña?") },
        });
        for (var i = 0; i < 3; i++) await OrderAsync(workspaceId);

        var over = await OrderAsync(workspaceId);

        var run = await RunOfAsync(workspaceId, automation.Id, over.EventId);
        Assert.That(run.Status, Is.EqualTo("failed"), System.Text.Json.JsonSerializer.Serialize(run));
        Assert.That(run.Steps.Single().ErrorCode, Is.EqualTo("wait_limit_reached"));
        Assert.That(run.Steps.Single().Error, Does.Contain("3"));
    }

    [Test]
    public async Task A_run_overdue_by_more_than_a_day_ends_expired()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Reseña", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { Wait(60), SmsAction("¿Nos dejas una reseña?") },
        });
        var order = await OrderAsync(workspaceId);
        var run = await RunOfAsync(workspaceId, automation.Id, order.EventId);

        await QueryAsync(db => db.Database.ExecuteSqlAsync($"UPDATE run_waits SET resume_at = now() - interval '25 hours' WHERE run_id = {run.Id}"));

        var ended = await RunEndsAsync(workspaceId, automation.Id, order.EventId);
        Assert.That(ended.Status, Is.EqualTo("skipped"));
        Assert.That(ended.Steps.Single().ErrorCode, Is.EqualTo("expired"));
        Assert.That(SmsFor(workspaceId), Is.Empty);
    }

    [Test]
    public async Task A_customer_redaction_ends_their_waiting_runs_and_forgets_their_consent()
    {
        var workspaceId = await NewWorkspaceAsync();
        var automation = await CreateAutomationAsync(workspaceId, new
        {
            name = "Reseña", trigger = TriggerNames.ShopifyOrderCreated, purpose = "marketing", actions = new[] { Wait(60), SmsAction("¿Nos dejas una reseña?") },
        });
        await ConsentAsync(workspaceId, Phone);
        var orderId = NewOrderId();
        var order = await OrderAsync(workspaceId, Order(orderId));

        await Bus.Publish(new ShopifyCustomerRedactRequested(Guid.NewGuid(), workspaceId, "tienda.myshopify.com",
            new ShopifyCustomerRef(77, "ana@example.com", Phone), [orderId], DateTimeOffset.UtcNow));

        var run = await Eventually.Get(() => RunOfAsync(workspaceId, automation.Id, order.EventId), r => r.Status != "waiting", because: "the redaction ends the run");
        Assert.That((run.Status, run.Steps.Single().ErrorCode), Is.EqualTo(("skipped", (string?)"customer_redacted")));
        Assert.That(await QueryAsync(db => db.RunWaits.CountAsync(w => w.WorkspaceId == workspaceId)), Is.Zero, "the held data is gone");
        Assert.That(await QueryAsync(db => db.SmsConsents.CountAsync(c => c.WorkspaceId == workspaceId)), Is.Zero, "and so is the consent record");
    }
}
