using System.Collections.Concurrent;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MorfX.AutomationEngine;
using MorfX.AutomationEngine.Automations;
using MorfX.AutomationEngine.Data;
using MorfX.Contracts;
using MorfX.ServiceDefaults;
using MorfX.Testing;
using NUnit.Framework;

namespace MorfX.AutomationEngine.Tests;

/// <summary>
/// The automation engine running on real PostgreSQL and RabbitMQ, plus a bus of our own that publishes what the
/// other services would (trigger events, IntegrationChanged) and observes what the engine publishes.
/// </summary>
public abstract class EngineFixture
{
    protected static RunningService Engine = null!;
    protected static RunningService Llm = null!;
    protected static IBusControl Bus = null!;
    static readonly ConcurrentQueue<SmsRequested> SmsQueue = new();
    static readonly ConcurrentQueue<SendWhatsAppRequested> WhatsAppQueue = new();
    /// <summary>Every other message the engine publishes (CRM events, redactions, data reports), as observed on the bus.</summary>
    protected static readonly ConcurrentQueue<object> Published = new();
    static readonly SemaphoreSlim Gate = new(1, 1);

    [OneTimeSetUp]
    public async Task StartEngine()
    {
        await Gate.WaitAsync();
        try
        {
            if (Engine is not null) return;
            Llm = await RunningService.StartAsync(LlmEmulator.LlmEmulatorApp.Build, new Dictionary<string, string?>());
            var settings = TestInfrastructure.ServiceSettings(ResourceNames.EngineDb);
            settings["Llm:Endpoint"] = new Uri(Llm.BaseAddress, "/v1").ToString();
            settings["Llm:Model"] = "morfx-test-model";
            settings["Llm:ApiKey"] = "test-key";
            // Low enough for a test to reach it; each builder test works in its own workspace.
            settings["Limits:BuilderRequestsPerHour"] = "5";
            Engine = await RunningService.StartAsync(MorfX.AutomationEngine.Program.Build, settings);
            Assert.That(await Engine.WaitHealthyAsync(), Is.EqualTo("Healthy"));
            Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(new Uri(TestInfrastructure.AmqpUri), _ => { });
                cfg.ReceiveEndpoint("automation-engine-tests-observer", e =>
                {
                    e.Handler<SmsRequested>(c => { SmsQueue.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<SendWhatsAppRequested>(c => { WhatsAppQueue.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<CrmContactCreated>(c => { Published.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<SmsRecipientsRedacted>(c => { Published.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<CustomerDataReported>(c => { Published.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<CustomerSmsDataRequested>(c => { Published.Enqueue(c.Message); return Task.CompletedTask; });
                });
            });
            await Bus.StartAsync();
        }
        finally { Gate.Release(); }
    }

    protected static List<SmsRequested> SmsFor(Guid workspaceId) => [.. SmsQueue.Where(s => s.WorkspaceId == workspaceId)];

    protected static List<SendWhatsAppRequested> WhatsAppFor(Guid workspaceId) => [.. WhatsAppQueue.Where(s => s.WorkspaceId == workspaceId)];

    protected static HttpClient Client(Guid workspaceId, string role = Roles.Owner) => Engine.CreateClient(Tokens.For(workspaceId, role));

    protected static async Task<T> QueryAsync<T>(Func<EngineDbContext, Task<T>> query)
    {
        using var scope = Engine.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<EngineDbContext>());
    }

    /// <summary>Announces an integration as config-api does, and waits until the engine's projection has it.</summary>
    protected static async Task SetIntegrationAsync(Guid workspaceId, string integration, string status, bool? autoSync = null)
    {
        var changedAt = DateTimeOffset.UtcNow;
        await Bus.Publish(new IntegrationChanged(workspaceId, integration, status,
            integration == IntegrationKinds.Shopify ? "tienda.myshopify.com" : null, autoSync, changedAt));
        await Eventually.Get(() => QueryAsync(db => db.IntegrationStates.AnyAsync(s =>
            s.WorkspaceId == workspaceId && s.Integration == integration && s.ChangedAt == changedAt)), found => found, because: "integration projected");
    }

    protected static async Task<Guid> NewWorkspaceAsync(bool twilio = true, bool shopify = true, bool autoSync = true)
    {
        var workspaceId = Guid.NewGuid();
        if (twilio) await SetIntegrationAsync(workspaceId, IntegrationKinds.Twilio, IntegrationStatuses.Active);
        if (shopify) await SetIntegrationAsync(workspaceId, IntegrationKinds.Shopify, IntegrationStatuses.Active, autoSync);
        return workspaceId;
    }

    protected static async Task<AutomationDto> CreateAutomationAsync(Guid workspaceId, object draft)
    {
        using var client = Client(workspaceId);
        var response = await client.PostAsJsonAsync("/api/automations", draft);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AutomationDto>(AutomationJson.Options))!;
    }

    protected static object SmsAction(string body, string to = "{{cliente.telefono}}") =>
        new { type = "send_sms", config = new Dictionary<string, object> { ["to"] = to, ["body"] = body } };

    /// <summary>Waits until the engine has handled the event (its processed mark commits with the runs it caused).</summary>
    protected static Task WaitHandledAsync(Guid eventId) =>
        Eventually.Get(() => QueryAsync(db => db.ProcessedEvents.AnyAsync(p => p.EventId == eventId)), done => done, because: $"event {eventId} handled");

    protected static ShopifyOrder Order(long id, string financialStatus = "paid", decimal total = 59.90m,
        DateTimeOffset? updatedAt = null, string? phone = "+573001112233", string email = "ana@example.com")
    {
        var now = DateTimeOffset.UtcNow;
        return new ShopifyOrder("tienda.myshopify.com", id, "#1001", 1001, email, phone, total, "COP", financialStatus, null,
            new ShopifyCustomer(77, email, "Ana", "Pérez", phone),
            [new ShopifyLineItem(1, "CAM-1", "Camiseta", "M", 2, 20m), new ShopifyLineItem(2, "GOR-2", "Gorra", null, 1, 19.90m)],
            new ShopifyAddress("Ana Pérez", "Calle 10 # 5-20", null, "Bogotá", "Cundinamarca", "110111", "Colombia", phone),
            ["vip"], "Entregar en la tarde", now, updatedAt ?? now, null, null, null, "{}");
    }

    protected static long NewOrderId() => Random.Shared.NextInt64(1_000_000, long.MaxValue);
}
