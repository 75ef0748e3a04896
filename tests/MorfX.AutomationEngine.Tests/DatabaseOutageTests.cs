using MorfX.Contracts;
using MorfX.Testing;
using NUnit.Framework;
using static MorfX.AutomationEngine.Tests.EngineFixture;

namespace MorfX.AutomationEngine.Tests;

/// <summary>PostgreSQL stopped under the engine (decision 0032): the orders that arrive meanwhile wait for it, not in an _error queue.</summary>
public class DatabaseOutageTests
{
    [Test]
    public async Task Orders_that_arrive_while_PostgreSQL_is_down_past_the_quick_retries_each_start_one_run_once_it_is_back()
    {
        var workspaceId = await NewWorkspaceAsync();
        await CreateAutomationAsync(workspaceId, new
        {
            name = "Confirmación", trigger = TriggerNames.ShopifyOrderCreated, actions = new[] { SmsAction("Hola {{cliente.nombre}}, recibimos tu orden") },
        });
        var orders = Enumerable.Range(0, 20).Select(_ => new ShopifyOrderCreated(Guid.NewGuid(), workspaceId, DateTimeOffset.UtcNow, Order(NewOrderId()))).ToList();
        var errorsBefore = (await TestInfrastructure.ErrorQueueMessagesAsync()).Values.Sum();

        await TestInfrastructure.StopPostgresAsync();
        try
        {
            await Task.WhenAll(orders.Select(o => Bus.Publish(o)));
            await Task.Delay(TestInfrastructure.DatabaseOutage);
        }
        finally { await TestInfrastructure.StartPostgresAsync(); }

        var sms = await Eventually.Get(() => Task.FromResult(SmsFor(workspaceId)),
            s => s.Select(r => r.Origin.TriggerEventId).Distinct().Count() == orders.Count, TimeSpan.FromMinutes(2), "an SMS requested for every order");
        Assert.That(sms.GroupBy(s => s.Origin.TriggerEventId).Select(g => g.Select(s => s.RequestId).Distinct().Count()), Is.All.EqualTo(1),
            "one SMS per order, however often it was announced");
        Assert.That(sms.Select(s => s.Origin.TriggerEventId), Is.SubsetOf(orders.Select(o => o.EventId)));
        Assert.That((await TestInfrastructure.ErrorQueueMessagesAsync()).Values.Sum(), Is.EqualTo(errorsBefore), "nothing in an _error queue");
    }
}
