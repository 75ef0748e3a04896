using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Compliance;
using MorfX.AutomationEngine.Data;
using MorfX.AutomationEngine.Limits;
using MorfX.Contracts;
using MorfX.Data.Redaction;
using MorfX.Messaging.Fairness;
using MorfX.Messaging.Outbox;
using MorfX.Rules;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>What one batch of Shopify orders costs the engine in database round trips and commits, counted on its DbContext.</summary>
public class RoundTripTests
{
    [Test]
    public async Task A_batch_of_orders_costs_a_few_round_trips_and_one_commit_in_all()
    {
        const int Orders = 50;
        var workspaceId = await NewWorkspaceAsync(autoSync: true);
        var automation = await CreateAutomationAsync(workspaceId, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Orden {{orden.numero}}") } });
        var counter = new RoundTripCounter();
        var connection = Engine.Services.GetRequiredService<IConfiguration>().GetConnectionString(ResourceNames.EngineDb);
        await using var db = new EngineDbContext(new DbContextOptionsBuilder<EngineDbContext>().UseNpgsql(connection).AddInterceptors(counter).Options);
        var processor = Processor(db);
        // Warm: the workspace's automations and integrations are now cached, as they are for every order after the first.
        var warm = Created(workspaceId, 0);
        await processor.HandleShopifyAsync([new ShopifyTrigger(warm, warm.Order)], TriggerNames.ShopifyOrderCreated, default);
        counter.Reset();

        // Each order from a new customer, with auto-sync on: a contact, an order, a copy, a run, a step, an SmsRequested.
        var batch = Enumerable.Range(1, Orders).Select(i => Created(workspaceId, i)).ToList();
        await processor.HandleShopifyAsync([.. batch.Select(e => new ShopifyTrigger(e, e.Order))], TriggerNames.ShopifyOrderCreated, default);

        // The commit is the batch's transaction; the published rows are marked sent later by the outbox dispatcher, many batches
        // in one UPDATE, so that costs the batch nothing here.
        var roundTrips = counter.Commands + counter.Commits;
        TestContext.Out.WriteLine($"A batch of {Orders} orders: {counter.Commands} commands + {counter.Commits} commit = {roundTrips} round trips, {(double)roundTrips / Orders:0.00} per order");
        Assert.That(counter.Commits, Is.EqualTo(1));
        Assert.That(roundTrips, Is.LessThanOrEqualTo(10));
        // Over its burst, a workspace's SmsRequested take sms-sender's bulk lane, which this test does not observe: the outbox says what left.
        var requestIds = batch.Select(e => DeterministicGuid.Create(e.EventId, $"{automation.Id}:0")).ToList();
        await Eventually.Get(() => QueryAsync(db => db.OutboxMessages.CountAsync(m => requestIds.Contains(m.Id) && m.SentAt != null)),
            sent => sent == Orders, because: "every order's SmsRequested published and marked sent");
        Assert.That(await QueryAsync(db => db.Contacts.CountAsync(c => c.WorkspaceId == workspaceId)), Is.EqualTo(Orders + 1));
    }

    [Test]
    public async Task Orders_of_many_workspaces_not_cached_read_their_automations_and_integrations_once_for_the_batch()
    {
        // A burst after a quiet spell: every workspace's cached automations and integrations have expired (here: never read).
        const int Workspaces = 12;
        var workspaces = new List<(Guid Id, Guid Automation)>();
        for (var i = 0; i < Workspaces; i++)
        {
            var id = await NewWorkspaceAsync(autoSync: true);
            var automation = await CreateAutomationAsync(id, new { name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Orden {{orden.numero}}") } });
            workspaces.Add((id, automation.Id));
        }
        // The cache hears those writes (AutomationsChanged, IntegrationChanged) on its own queue, apart from the projection the
        // set-up waited for: one heard mid-batch drops what the batch primed and is read again, which is not what is counted.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var counter = new RoundTripCounter();
        var connection = Engine.Services.GetRequiredService<IConfiguration>().GetConnectionString(ResourceNames.EngineDb);
        await using var db = new EngineDbContext(new DbContextOptionsBuilder<EngineDbContext>().UseNpgsql(connection).AddInterceptors(counter).Options);

        var batch = workspaces.Select((w, i) => Created(w.Id, i)).ToList();
        await Processor(db).HandleShopifyAsync([.. batch.Select(e => new ShopifyTrigger(e, e.Order))], TriggerNames.ShopifyOrderCreated, default);

        // Two reads for all the workspaces (automations, integrations), not two per workspace one after another.
        var roundTrips = counter.Commands + counter.Commits;
        TestContext.Out.WriteLine($"{Workspaces} orders of {Workspaces} workspaces not cached: {counter.Commands} commands + {counter.Commits} commit");
        Assert.That(roundTrips, Is.LessThanOrEqualTo(12));
        var requestIds = batch.Zip(workspaces, (e, w) => DeterministicGuid.Create(e.EventId, $"{w.Automation}:0")).ToList();
        Assert.That(await QueryAsync(db => db.OutboxMessages.CountAsync(m => requestIds.Contains(m.Id))), Is.EqualTo(Workspaces), "every order's SmsRequested");
    }

    static ShopifyOrderCreated Created(Guid workspaceId, int customer)
    {
        var phone = $"+57310{customer:D7}";
        var email = $"cliente{customer}@example.com";
        var order = Order(NewOrderId(), phone: phone, email: email) with { Customer = new ShopifyCustomer(1000 + customer, email, "Ana", "Pérez", phone) };
        return new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, order);
    }

    /// <summary>The engine's processor, on a DbContext of the test's own (the engine's singletons: cache, publisher, limits).</summary>
    static TriggerProcessor Processor(EngineDbContext db)
    {
        var services = Engine.Services;
        var cache = services.GetRequiredService<WorkspaceCache>();
        var outbox = new Outbox<EngineDbContext>(db, services.GetRequiredService<FairPublisher>(), services.GetRequiredService<OutboxOptions<EngineDbContext>>(),
            services.GetRequiredService<OutboxAcknowledgements<EngineDbContext>>(), NullLogger<Outbox<EngineDbContext>>.Instance);
        var fanOut = new FanOutEvents(db, outbox, cache);
        var runner = new AutomationRunner(db, outbox, fanOut, services.GetRequiredService<EngineMetrics>(), services.GetRequiredService<EngineLimitsOptions>(), cache,
            NullLogger<AutomationRunner>.Instance);
        return new TriggerProcessor(db, runner, new ShopifyOrderSync(db, fanOut), new ShopifyOrderCopies(db), cache,
            new RedactionTombstones(db, services.GetRequiredService<RedactionHasher>()), outbox, NullLogger<TriggerProcessor>.Instance);
    }
}
